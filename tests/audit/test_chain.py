import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from familybridge.audit.integrity import audit_purge_permitted, verify_chain
from familybridge.audit.models import AuditEvent
from familybridge.audit.services import record_event


@pytest.fixture
def chain(db):
    return [
        record_event("view", object_type="people.family", object_id=str(i), purpose="case_planning") for i in range(5)
    ]


def test_intact_chain_verifies(chain, capsys):
    call_command("audit", "verify")
    assert "5 events verified" in capsys.readouterr().out


def test_database_refuses_update_of_an_audit_event(chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(sequence=2).update(action="nothing to see")
    assert AuditEvent.objects.get(sequence=2).action == "view"


def test_database_refuses_delete_of_an_audit_event(chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(sequence=3).delete()
    assert AuditEvent.objects.count() == 5


def _tamper(sql: str, params: list) -> None:
    # "Other means": someone who got past the triggers, as a database owner could.
    with audit_purge_permitted(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_names_the_first_altered_event(chain):
    _tamper("UPDATE audit_auditevent SET purpose = %s WHERE sequence = %s", ["court_proceeding", 3])
    report = verify_chain()
    assert report.first_broken_sequence == 3
    assert "altered" in report.problem
    with pytest.raises(CommandError, match="#3"):
        call_command("audit", "verify")


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


def test_changes_to_records_write_audit_events(agencies):
    changes = AuditEvent.objects.filter(object_type="agencies.agency", action="create")
    assert changes.count() == len(agencies)
