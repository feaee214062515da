"""Web Push adapter: payload encryption (RFC 8291), VAPID (RFC 8292), delivery over httpx
to public addresses only, and the sealing of access tokens kept for push payloads."""
