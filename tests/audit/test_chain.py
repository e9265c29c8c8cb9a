"""The keyed chain: what `audit verify` and `audit checkpoint` catch when an insider rewrites the log.

Every attack here is made as an insider with the database's owner powers would make it: the guards
lifted (audit_purge_permitted), then raw SQL. The insider knows the published algorithm but not
FAMILYBRIDGE_AUDIT_KEY.
"""

import hashlib
import hmac
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from familybridge.audit.chain import HASHED_FIELDS, canonical, event_hash, key_id, signing_key
from familybridge.audit.integrity import audit_purge_permitted, verify_chain
from familybridge.audit.models import AuditEvent
from familybridge.audit.services import record_event

OTHER_KEY = "a-key-the-insider-made-up-0123456789abcdef"


@pytest.fixture
def chain(db):
    return [
        record_event("view", object_type="people.family", object_id=str(i), purpose="case_planning") for i in range(5)
    ]


def _tamper(sql: str, params: list) -> None:
    with audit_purge_permitted(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def plain_sha256(fields: dict) -> str:
    """The chain's algorithm before it was keyed, which anyone could recompute."""
    return hashlib.sha256(canonical(fields, HASHED_FIELDS)).hexdigest()


def hmac_under(key: str):
    def seal(fields: dict) -> str:
        return hmac.new(key.encode(), b"event:" + canonical(fields, HASHED_FIELDS), hashlib.sha256).hexdigest()

    return seal


def _reseal_everything(seal) -> None:
    """Recompute every hash in order with `seal`, then rewrite the chain head to match, as an insider would."""
    previous = "0" * 64
    with audit_purge_permitted(), connection.cursor() as cursor:
        for event in AuditEvent.objects.order_by("sequence"):
            fields = {name: getattr(event, name) for name in HASHED_FIELDS} | {"previous_hash": previous}
            previous = seal(fields)
            cursor.execute(
                "UPDATE audit_auditevent SET previous_hash = %s, hash = %s WHERE id = %s",
                [fields["previous_hash"], previous, event.pk],
            )
        last = AuditEvent.objects.order_by("sequence").last()
        cursor.execute(
            "UPDATE audit_auditchainhead SET last_sequence = %s, last_hash = %s WHERE id = 1",
            [last.sequence if last else 0, previous],
        )


def _verify_fails(match: str, *args: str) -> None:
    with pytest.raises(CommandError, match=match):
        call_command("audit", "verify", *args)


def test_intact_chain_verifies(chain, capsys):
    call_command("audit", "verify")
    assert "5 events verified" in capsys.readouterr().out


def test_verify_names_the_first_altered_event(chain):
    _tamper("UPDATE audit_auditevent SET purpose = %s WHERE sequence = %s", ["court_proceeding", 3])
    report = verify_chain()
    assert report.first_broken_sequence == 3
    assert "altered" in report.problem
    _verify_fails("#3")


def test_verify_names_a_removed_event(chain):
    _tamper("DELETE FROM audit_auditevent WHERE sequence = %s", [2])
    report = verify_chain()
    assert report.first_broken_sequence == 2
    assert "missing" in report.problem


def test_verify_notices_the_newest_events_removed(chain):
    _tamper("DELETE FROM audit_auditevent WHERE sequence >= %s", [4])
    report = verify_chain()
    assert report.first_broken_sequence == 4


def test_verify_notices_a_rewritten_hash(chain):
    _tamper("UPDATE audit_auditevent SET hash = %s WHERE sequence = %s", ["f" * 64, 2])
    assert verify_chain().first_broken_sequence == 2


# Finding 13: recomputing every hash with the published algorithm and rewriting the head no longer passes.


@pytest.mark.parametrize("seal", [plain_sha256, hmac_under(OTHER_KEY)], ids=["plain-sha256", "hmac-guessed-key"])
def test_finding13_altered_row_with_every_hash_recomputed_is_caught(chain, seal):
    _tamper("UPDATE audit_auditevent SET actor_username = %s WHERE sequence = %s", ["nobody", 3])
    _reseal_everything(seal)
    report = verify_chain()
    assert (report.first_broken_sequence, report.events_checked) == (1, 0)
    assert "altered" in report.problem
    _verify_fails("#1")


def test_finding13_deleted_row_with_the_rest_renumbered_and_resealed_is_caught(chain):
    _tamper("DELETE FROM audit_auditevent WHERE sequence = %s", [2])
    _tamper("UPDATE audit_auditevent SET sequence = sequence + 100 WHERE sequence > %s", [2])
    _tamper("UPDATE audit_auditevent SET sequence = sequence - 101 WHERE sequence > %s", [100])
    _reseal_everything(plain_sha256)
    assert AuditEvent.objects.count() == 4
    assert "altered" in verify_chain().problem
    _verify_fails("broken at event #1")


def test_finding13_inserted_row_resealed_is_caught(chain):
    _tamper("UPDATE audit_auditevent SET sequence = sequence + 100 WHERE sequence > %s", [2])
    _tamper("UPDATE audit_auditevent SET sequence = sequence - 99 WHERE sequence > %s", [100])
    second = AuditEvent.objects.get(sequence=2)
    with audit_purge_permitted(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (sequence, occurred_at, actor_username, agency_slug, action, object_type,"
            " object_id, purpose, details, key_id, previous_hash, hash) "
            "VALUES (3, %s, 'judge', 'court', 'view', 'people.family', '9', 'court_proceeding', '{}', %s, '', '')",
            [second.occurred_at, second.key_id],
        )
    _reseal_everything(hmac_under(OTHER_KEY))
    assert AuditEvent.objects.count() == 6
    report = verify_chain()
    assert report.first_broken_sequence == 1 and "altered" in report.problem


def test_finding13_a_forged_event_with_the_real_key_id_but_another_key_is_caught(chain):
    """Copying the key id into a forged row does not help: the seal still needs the key."""
    last = chain[-1]
    fields = {name: getattr(last, name) for name in HASHED_FIELDS} | {
        "sequence": 6,
        "object_id": "99",
        "previous_hash": last.hash,
    }
    forged = hmac_under(OTHER_KEY)(fields)
    with audit_purge_permitted(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (sequence, occurred_at, actor_username, agency_slug, action, object_type,"
            " object_id, purpose, details, key_id, previous_hash, hash) "
            "VALUES (6, %s, '', '', 'view', 'people.family', '99', 'case_planning', '{}', %s, %s, %s)",
            [last.occurred_at, last.key_id, last.hash, forged],
        )
        cursor.execute("UPDATE audit_auditchainhead SET last_sequence = 6, last_hash = %s WHERE id = 1", [forged])
    report = verify_chain()
    assert report.first_broken_sequence == 6 and "altered" in report.problem


# Checkpoints: a signed head kept outside the database catches a cut-off tail.


def test_finding13_truncated_tail_with_head_rewritten_is_caught_by_a_checkpoint(chain, tmp_path):
    checkpoints = tmp_path / "audit.checkpoints"
    call_command("audit", "checkpoint", str(checkpoints))
    _tamper("DELETE FROM audit_auditevent WHERE sequence >= %s", [4])
    third = AuditEvent.objects.get(sequence=3)
    _tamper("UPDATE audit_auditchainhead SET last_sequence = 3, last_hash = %s WHERE id = 1", [third.hash])
    # Without the checkpoint, what is left is a valid chain: every remaining seal is genuine.
    assert verify_chain().intact
    missing = r"event #4 and later are missing \(the checkpoint on line 1 counts 5\)"
    _verify_fails(missing, "--checkpoint", str(checkpoints))


def test_a_checkpoint_stays_valid_as_the_chain_grows(chain, tmp_path, capsys):
    checkpoints = tmp_path / "audit.checkpoints"
    call_command("audit", "checkpoint", str(checkpoints))
    record_event("view", object_type="people.family", object_id="6")
    call_command("audit", "checkpoint", str(checkpoints))
    record_event("view", object_type="people.family", object_id="7")
    call_command("audit", "verify", "--checkpoint", str(checkpoints))
    assert "7 events verified, consistent with 2 checkpoints" in capsys.readouterr().out
    lines = [json.loads(line) for line in checkpoints.read_text().splitlines()]
    assert [(line["count"], line["key_id"]) for line in lines] == [(5, chain[0].key_id), (6, chain[0].key_id)]


def test_a_rewritten_chain_is_caught_by_a_checkpoint_even_with_the_key(chain, tmp_path):
    """Someone holding the key can reseal the chain, but not the checkpoints already taken."""
    checkpoints = tmp_path / "audit.checkpoints"
    call_command("audit", "checkpoint", str(checkpoints))
    _tamper("UPDATE audit_auditevent SET actor_username = %s WHERE sequence = %s", ["nobody", 3])
    _reseal_everything(lambda fields: event_hash(fields, signing_key()))
    assert verify_chain().intact
    _verify_fails("event #5 differs from the checkpoint on line 1", "--checkpoint", str(checkpoints))


def test_an_altered_checkpoint_line_is_refused(chain, tmp_path):
    checkpoints = tmp_path / "audit.checkpoints"
    call_command("audit", "checkpoint", str(checkpoints))
    line = json.loads(checkpoints.read_text())
    line["count"] = 3
    checkpoints.write_text(json.dumps(line) + "\n")
    _verify_fails("line 1: the checkpoint was altered after it was signed", "--checkpoint", str(checkpoints))


def test_a_broken_chain_is_not_checkpointed(chain, tmp_path):
    checkpoints = tmp_path / "audit.checkpoints"
    _tamper("UPDATE audit_auditevent SET purpose = %s WHERE sequence = %s", ["court_proceeding", 2])
    with pytest.raises(CommandError, match="Not signing a broken chain: event #2"):
        call_command("audit", "checkpoint", str(checkpoints))
    assert not checkpoints.exists()


def test_a_missing_checkpoint_file_is_a_clear_error(chain, tmp_path):
    _verify_fails("Checkpoint file not usable", "--checkpoint", str(tmp_path / "nowhere"))


# Keys: events sealed under another key are named as such; a retired key verifies its own segment.


def test_verify_says_when_events_were_written_under_another_key(chain):
    with override_settings(FAMILYBRIDGE_AUDIT_KEY=OTHER_KEY):
        report = verify_chain()
    assert report.first_broken_sequence == 1
    assert f"written under another audit key (key id {chain[0].key_id})" in report.problem


def test_verify_says_when_events_were_written_before_the_chain_was_keyed(chain):
    _tamper("UPDATE audit_auditevent SET key_id = '' WHERE sequence = %s", [1])
    assert "written before the audit chain was keyed" in verify_chain().problem


def test_a_rotated_key_starts_a_new_segment_that_verifies_with_the_retired_key(chain, settings):
    old_key = settings.FAMILYBRIDGE_AUDIT_KEY
    settings.FAMILYBRIDGE_AUDIT_KEY = OTHER_KEY
    newer = record_event("view", object_type="people.family", object_id="6")
    assert newer.key_id == key_id(OTHER_KEY.encode()) != chain[0].key_id
    assert verify_chain().first_broken_sequence == 1
    settings.FAMILYBRIDGE_AUDIT_RETIRED_KEYS = [old_key]
    assert verify_chain().intact and verify_chain().events_checked == 6


def test_changes_to_records_write_audit_events(agencies):
    changes = AuditEvent.objects.filter(object_type="agencies.agency", action="create")
    assert changes.count() == len(agencies)
