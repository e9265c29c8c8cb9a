"""The request being served, so events written deep in services know who and where from."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    actor_id: int | None
    actor_username: str
    agency_slug: str
    client_address: str | None


current_context: ContextVar[AuditContext | None] = ContextVar("familybridge_audit_context", default=None)
