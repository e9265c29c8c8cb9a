"""Checking the chain, signed checkpoints of its head, and lifting the guards to empty a throw-away database."""

import hmac
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from familybridge.audit.chain import (
    GENESIS_HASH,
    HASHED_FIELDS,
    checkpoint_mac,
    event_hash,
    key_id,
    signing_key,
    verification_keys,
)
from familybridge.audit.models import AuditChainHead, AuditEvent

AUDIT_TABLES = (AuditEvent._meta.db_table, AuditChainHead._meta.db_table)


@dataclass(frozen=True)
class ChainReport:
    events_checked: int
    first_broken_sequence: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.first_broken_sequence is None and not self.problem


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head as signed at one moment: how many events there were and the last one's hash."""

    line: int
    count: int
    last_hash: str


class CheckpointError(ValueError):
    pass


def read_checkpoints(path: Path) -> list[Checkpoint]:
    """Every checkpoint in the file, each one's seal checked; a line that is not intact is an error."""
    keys = verification_keys()
    checkpoints = []
    for number, text in enumerate(path.read_text().splitlines(), start=1):
        if not text.strip():
            continue
        try:
            fields = json.loads(text)
            count, last_hash, sealed_by, mac = fields["count"], fields["last_hash"], fields["key_id"], fields["mac"]
        except (ValueError, KeyError, TypeError) as error:
            raise CheckpointError(f"{path}, line {number}: not a checkpoint ({error}).") from error
        key = keys.get(sealed_by)
        if key is None:
            raise CheckpointError(
                f"{path}, line {number}: signed with another audit key (key id {sealed_by}); "
                "set that key in FAMILYBRIDGE_AUDIT_KEY or FAMILYBRIDGE_AUDIT_RETIRED_KEYS to check it."
            )
        if not hmac.compare_digest(checkpoint_mac(fields, key), str(mac)):
            raise CheckpointError(f"{path}, line {number}: the checkpoint was altered after it was signed.")
        checkpoints.append(Checkpoint(number, int(count), str(last_hash)))
    return checkpoints


def verify_chain(batch_size: int = 5000, checkpoints: Sequence[Checkpoint] = ()) -> ChainReport:
    """Check every event's seal in order; name the first event that was altered, removed or inserted.

    The chain head, and each checkpoint given, must still be found in the chain: the same hash at
    the same position. The head is read first, so events appended while this runs are checked but
    never mistaken for a truncation.
    """
    keys = verification_keys()
    head = AuditChainHead.objects.filter(pk=1).first()
    expected_at: dict[int, list[Checkpoint]] = {}
    for checkpoint in (*checkpoints, Checkpoint(0, head.last_sequence, head.last_hash) if head else None):
        if checkpoint is not None and checkpoint.count:
            expected_at.setdefault(checkpoint.count, []).append(checkpoint)
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=batch_size):
        if event.sequence != expected_sequence:
            return ChainReport(checked, expected_sequence, f"event #{expected_sequence} is missing")
        if event.previous_hash != expected_previous:
            return ChainReport(checked, event.sequence, f"event #{event.sequence} does not follow the one before it")
        key = keys.get(event.key_id)
        if key is None:
            return ChainReport(checked, event.sequence, _other_key_problem(event))
        if not hmac.compare_digest(event_hash({name: getattr(event, name) for name in HASHED_FIELDS}, key), event.hash):
            return ChainReport(checked, event.sequence, f"event #{event.sequence} was altered after it was written")
        for checkpoint in expected_at.get(event.sequence, ()):
            if checkpoint.last_hash != event.hash:
                return ChainReport(checked, event.sequence, _mismatch_problem(checkpoint, event.sequence))
        expected_previous = event.hash
        expected_sequence += 1
        checked += 1
    beyond = [checkpoint for count, found in expected_at.items() if count > checked for checkpoint in found]
    if beyond:
        counted = max(beyond, key=lambda checkpoint: checkpoint.count)
        problem = f"event #{checked + 1} and later are missing ({_where(counted)} counts {counted.count})"
        return ChainReport(checked, checked + 1, problem)
    return ChainReport(checked)


def _where(checkpoint: Checkpoint) -> str:
    return f"the checkpoint on line {checkpoint.line}" if checkpoint.line else "the chain head"


def _mismatch_problem(checkpoint: Checkpoint, sequence: int) -> str:
    return f"event #{sequence} differs from {_where(checkpoint)}: events up to it were altered, removed or inserted"


def _other_key_problem(event: AuditEvent) -> str:
    if not event.key_id:
        return f"event #{event.sequence} was written before the audit chain was keyed, so no key can check it"
    return (
        f"event #{event.sequence} was written under another audit key (key id {event.key_id}); set that key in "
        "FAMILYBRIDGE_AUDIT_RETIRED_KEYS to check it"
    )


def write_checkpoint(path: Path) -> dict[str, object]:
    """Verify the chain, then append its signed head as one line to a file kept outside the database."""
    head = AuditChainHead.objects.filter(pk=1).first()
    count, last_hash = (head.last_sequence, head.last_hash) if head else (0, GENESIS_HASH)
    report = verify_chain()
    if not report.intact:
        raise CheckpointError(
            f"Not signing a broken chain: event #{report.first_broken_sequence}: {report.problem}."
        )
    key = signing_key()
    fields: dict[str, object] = {
        "count": count,
        "last_hash": last_hash,
        "at": timezone.now().isoformat(timespec="seconds"),
        "key_id": key_id(key),
    }
    fields["mac"] = checkpoint_mac(fields, key)
    with path.open("a") as out:
        out.write(json.dumps(fields, sort_keys=True) + "\n")
    return fields


@contextmanager
def audit_purge_permitted() -> Iterator[None]:
    """Lift the append-only guards for this transaction, to empty a throw-away database (the suite's flush).

    It needs what the application's role lacks in production: PostgreSQL, ownership of the audit
    tables (ALTER TABLE ... DISABLE TRIGGER); SQLite, dropping and recreating the triggers.
    Nothing outside this transaction ever sees the guards lifted.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            triggers = _postgres_triggers(cursor)
            for table, name in triggers:
                cursor.execute(f'ALTER TABLE {table} DISABLE TRIGGER "{name}"')
            yield
            for table, name in triggers:
                cursor.execute(f'ALTER TABLE {table} ENABLE ALWAYS TRIGGER "{name}"')
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)", AUDIT_TABLES
            )
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            yield
            for _, sql in triggers:
                cursor.execute(sql)


def _postgres_triggers(cursor: object) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE c.relname IN (%s, %s) AND NOT t.tgisinternal ORDER BY c.relname, t.tgname",
        AUDIT_TABLES,
    )
    return cursor.fetchall()
