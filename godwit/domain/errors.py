"""Domain errors. Adapters map them to their wire format (HTTP status + JSON error)."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the core raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    def __init__(self, message: str = "Record not found") -> None:
        super().__init__(message)


class Forbidden(DomainError):
    def __init__(self, message: str = "This action is not allowed") -> None:
        super().__init__(message)


class Unauthorized(DomainError):
    def __init__(self, message: str = "The access token is invalid") -> None:
        super().__init__(message)


class Invalid(DomainError):
    """Validation failed. ``details`` maps a field to a list of (error code, description)."""

    def __init__(
        self, message: str, details: dict[str, list[tuple[str, str]]] | None = None
    ) -> None:
        super().__init__(message)
        self.details = details or {}


class Conflict(DomainError):
    """The request clashes with the current state (for example, a duplicate)."""


class RateLimited(DomainError):
    def __init__(self, retry_after: int, message: str = "Too many requests") -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(DomainError):
    """The server cannot take the request now (every database connection is busy)."""

    def __init__(
        self, retry_after: int, message: str = "The server is busy; try again shortly"
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
