"""The database refuses to change or remove audit events, with no switch a client can turn.

Migration 0002's triggers asked a switch (SQLite: a user function any client can define;
PostgreSQL: a session setting any client can set). These refuse unconditionally. The chain head
may only move forward, one event at a time, to the newest event's hash.

Lifting them takes a power the application's own database role does not have in production:
PostgreSQL: ALTER TABLE ... DISABLE TRIGGER, which only the tables' owner (or a superuser) may run;
the triggers are ENABLE ALWAYS, so session_replication_role = replica does not skip them.
SQLite: dropping the triggers, which anyone who can write the database file can do; the keyed
chain (FAMILYBRIDGE_AUDIT_KEY) is what protects an SQLite log.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;
    """,
    """
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END;
    """,
    """
    CREATE TRIGGER audit_head_moves_forward BEFORE UPDATE ON audit_auditchainhead
    WHEN NEW.id IS NOT OLD.id
      OR NEW.last_sequence IS NOT OLD.last_sequence + 1
      OR NEW.last_hash IS NOT (SELECT hash FROM audit_auditevent WHERE sequence = NEW.last_sequence)
    BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward to the newest event'); END;
    """,
    """
    CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_auditchainhead
    BEGIN SELECT RAISE(ABORT, 'the audit chain head cannot be removed: DELETE refused'); END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER audit_head_no_delete;",
    "DROP TRIGGER audit_head_moves_forward;",
]

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only: %% refused', TG_OP;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE FUNCTION audit_head_moves_forward() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.last_sequence = OLD.last_sequence + 1
           AND NEW.last_hash = (SELECT hash FROM audit_auditevent WHERE sequence = NEW.last_sequence) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'the audit chain head only moves forward to the newest event: %% refused', TG_OP;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER audit_head_moves_forward BEFORE UPDATE OR DELETE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION audit_head_moves_forward();
    """,
    """
    CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();
    """,
    "ALTER TABLE audit_auditevent ENABLE ALWAYS TRIGGER audit_event_no_change;",
    "ALTER TABLE audit_auditevent ENABLE ALWAYS TRIGGER audit_event_no_truncate;",
    "ALTER TABLE audit_auditchainhead ENABLE ALWAYS TRIGGER audit_head_moves_forward;",
    "ALTER TABLE audit_auditchainhead ENABLE ALWAYS TRIGGER audit_head_no_truncate;",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER audit_head_no_truncate ON audit_auditchainhead;",
    "DROP TRIGGER audit_head_moves_forward ON audit_auditchainhead;",
    "DROP FUNCTION audit_head_moves_forward();",
    "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_change;",
    "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_truncate;",
]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}[schema_editor.connection.vendor]
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}[schema_editor.connection.vendor]
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_event_key_id")]
    operations = [migrations.RunPython(forward, backward)]
