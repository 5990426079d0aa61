"""The one exception a domain operation raises to refuse a request."""

from __future__ import annotations

from app.protocol import ErrorCode


class ServiceError(Exception):
    """A refused operation; ``code`` goes on the wire, ``message`` tells the user what to do."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
