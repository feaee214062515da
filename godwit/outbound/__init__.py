"""Outbound HTTP to URLs users chose (Web Push endpoints, links to preview), on httpx,
connecting to public addresses only: the SSRF defence at the socket, shared by the
``push`` and ``links`` adapters (which may not import each other)."""
