"""Test support shipped with the package: factories and in-memory fakes for unit tests."""
