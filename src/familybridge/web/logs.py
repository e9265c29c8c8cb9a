"""Secrets in addresses never reach a log: the one-time screening link and the password reset link carry their
tokens in the path."""

import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

SCREENING_LINK_TOKEN = re.compile(r"(/screening/take/)[^/?#\s\"']+")
# The reset link's account id and token (`web:password-reset-confirm`).
PASSWORD_RESET_TOKEN = re.compile(r"(/password-reset/)[^/?#\s\"']+/[^/?#\s\"']+")
REDACTED = "[redacted]"


def redact_tokens(text: str) -> str:
    """The text with every screening link token and password reset token replaced by a placeholder."""
    text = SCREENING_LINK_TOKEN.sub(rf"\g<1>{REDACTED}", text)
    return PASSWORD_RESET_TOKEN.sub(rf"\g<1>{REDACTED}", text)


class RedactTokensFilter(logging.Filter):
    """Django's own log lines ("Not Found: /screening/take/…") carry the path: redact it before any handler writes."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's access log, with tokens redacted from every field (request line, path, referrer)."""

    def atoms(self, resp, req, environ, request_time) -> dict:  # noqa: ANN001 (gunicorn's own signature)
        return {
            name: redact_tokens(value) if isinstance(value, str) else value
            for name, value in super().atoms(resp, req, environ, request_time).items()
        }
