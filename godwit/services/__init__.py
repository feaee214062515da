"""Use cases. Each service owns its transactions and takes its ports in ``__init__``."""
