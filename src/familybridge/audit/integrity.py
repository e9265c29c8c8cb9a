"""Checking the chain, and the one sanctioned way to empty the audit table (throw-away databases)."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

from familybridge.audit.chain import GENESIS_HASH, HASHED_FIELDS, event_hash
from familybridge.audit.models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainReport:
    events_checked: int
    first_broken_sequence: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.first_broken_sequence is None and not self.problem


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Recompute every hash in order; name the first event that was altered, removed or inserted."""
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=batch_size):
        if event.sequence != expected_sequence:
            return ChainReport(checked, expected_sequence, f"event #{expected_sequence} is missing")
        if event.previous_hash != expected_previous:
            return ChainReport(checked, event.sequence, f"event #{event.sequence} does not follow the one before it")
        if event_hash({name: getattr(event, name) for name in HASHED_FIELDS}) != event.hash:
            return ChainReport(checked, event.sequence, f"event #{event.sequence} was altered after it was written")
        expected_previous = event.hash
        expected_sequence += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_sequence != checked or head.last_hash != expected_previous):
        return ChainReport(checked, checked + 1, f"event #{checked + 1} and later are missing")
    return ChainReport(checked)


_purge_permitted = False


def _register_sqlite_guard(sender: type, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    # The SQLite triggers ask this function; a connection without it (any other client) is refused.
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "familybridge_audit_purge_permitted", 0, lambda: int(_purge_permitted), deterministic=False
        )


connection_created.connect(_register_sqlite_guard, dispatch_uid="familybridge_audit_sqlite_guard")


@contextmanager
def audit_purge_permitted() -> Iterator[None]:
    """Let this process delete audit rows, for emptying a throw-away database (the test suite's flush)."""
    global _purge_permitted
    _purge_permitted = True
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET familybridge.audit_purge_permitted = 'on'")
    try:
        yield
    finally:
        _purge_permitted = False
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("RESET familybridge.audit_purge_permitted")
