"""Finding 13: the append-only guards have no switch the application's own connection can turn."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from familybridge.audit.models import AuditChainHead, AuditEvent
from familybridge.audit.services import record_event

postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL roles")


@pytest.fixture
def chain(db):
    return [record_event("view", object_type="people.family", object_id=str(i)) for i in range(5)]


def _refused(sql: str, params: list | None = None) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _try_to_switch_the_guard_off() -> None:
    """What the old guards listened to: a user function (SQLite), session settings (PostgreSQL)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("familybridge_audit_purge_permitted", 0, lambda: 1)
    else:
        with connection.cursor() as cursor:
            cursor.execute("SET familybridge.audit_purge_permitted = 'on'")
            # What the bulk import sets: the audit triggers fire even then (ENABLE ALWAYS).
            cursor.execute("SET session_replication_role = replica")


@pytest.fixture
def guard_switched_off_attempt(chain):
    _try_to_switch_the_guard_off()
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("RESET familybridge.audit_purge_permitted; RESET session_replication_role")


def test_database_refuses_update_of_an_audit_event(chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(sequence=2).update(action="nothing to see")
    assert AuditEvent.objects.get(sequence=2).action == "view"


def test_database_refuses_delete_of_an_audit_event(chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(sequence=3).delete()
    assert AuditEvent.objects.count() == 5


def test_finding13_no_session_switch_lets_the_app_delete_or_change_an_event(guard_switched_off_attempt):
    _refused("DELETE FROM audit_auditevent WHERE sequence = %s", [3])
    _refused("UPDATE audit_auditevent SET actor_username = 'nobody' WHERE sequence = %s", [3])
    if connection.vendor == "postgresql":
        _refused("TRUNCATE audit_auditevent CASCADE")
    assert AuditEvent.objects.count() == 5


def test_finding13_the_chain_head_cannot_be_rewound_or_removed(guard_switched_off_attempt):
    third = AuditEvent.objects.get(sequence=3)
    _refused("UPDATE audit_auditchainhead SET last_sequence = 3, last_hash = %s WHERE id = 1", [third.hash])
    _refused("UPDATE audit_auditchainhead SET last_sequence = 6, last_hash = %s WHERE id = 1", ["f" * 64])
    _refused("DELETE FROM audit_auditchainhead")
    assert AuditChainHead.objects.get().last_sequence == 5


def test_appending_still_moves_the_head_forward(guard_switched_off_attempt):
    event = record_event("view", object_type="people.family", object_id="6")
    head = AuditChainHead.objects.get()
    assert (head.last_sequence, head.last_hash) == (6, event.hash)


@pytest.mark.django_db(transaction=True)
def test_the_test_suites_flush_still_empties_the_audit_tables_and_restores_the_guards():
    record_event("view", object_type="people.family", object_id="1")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists() and not AuditChainHead.objects.exists()
    record_event("view", object_type="people.family", object_id="2")
    _refused("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 1


@pytest.fixture
def application_role(db):
    """A login role set up as docs/tasks/operate.md tells production to: no ownership, INSERT/SELECT on events."""
    name = f"{connection.settings_dict['NAME']}_app"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" NOSUPERUSER')
        cursor.execute(f'GRANT USAGE ON SCHEMA public TO "{name}"')
        cursor.execute(f'GRANT SELECT, INSERT ON audit_auditevent TO "{name}"')
        cursor.execute(f'GRANT SELECT, INSERT, UPDATE ON audit_auditchainhead TO "{name}"')
        cursor.execute(f'GRANT USAGE ON SEQUENCE audit_auditevent_id_seq TO "{name}"')
        cursor.execute(f'SET ROLE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


@postgresql_only
def test_finding13_the_application_role_cannot_lift_the_guards(chain, application_role):
    event = record_event("view", object_type="people.family", object_id="6")
    assert event.sequence == 6
    _refused("SET session_replication_role = replica")
    _refused("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_change")
    _refused("DROP TRIGGER audit_event_no_change ON audit_auditevent")
    _refused("DELETE FROM audit_auditevent WHERE sequence = 3")
    _refused("UPDATE audit_auditevent SET hash = hash WHERE sequence = 3")
    assert AuditEvent.objects.count() == 6
