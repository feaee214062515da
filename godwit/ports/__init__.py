"""Ports: the Protocols the services depend on. Adapters implement them; app.py wires them."""
