"""Cache adapters: in-process memory and Redis implementations of the same ports."""
