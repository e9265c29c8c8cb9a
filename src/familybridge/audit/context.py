"""The request being served, so events written deep in services know who and where from."""

from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AuditContext:
    actor_id: int | None
    actor_username: str
    agency_slug: str
    client_address: str | None


current_context: ContextVar[AuditContext | None] = ContextVar("familybridge_audit_context", default=None)


@dataclass
class ReadsOfRequest:
    """What the policy point showed during one request (object type to ids, and the purposes), written
    as one audit event when the request ends, so no page that reads person data goes unaudited."""

    records: dict[str, set[str]] = field(default_factory=dict)
    purposes: set[str] = field(default_factory=set)


current_reads: ContextVar[ReadsOfRequest | None] = ContextVar("familybridge_audit_reads", default=None)
