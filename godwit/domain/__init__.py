"""The domain core: plain dataclasses and rules. No I/O, no framework, no SQL."""
