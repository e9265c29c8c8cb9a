"""The database itself refuses to change or remove audit events.

SQLite: the triggers ask familybridge_audit_purge_permitted(), a function only familybridge's own
connections define (see audit/integrity.py); any other client gets "no such function" and is refused.
PostgreSQL: the triggers ask the session setting familybridge.audit_purge_permitted.
Both exist only so a throw-away test database can be emptied.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    WHEN familybridge_audit_purge_permitted() = 0
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;
    """,
    """
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
    WHEN familybridge_audit_purge_permitted() = 0
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END;
    """,
]
SQLITE_BACKWARD = ["DROP TRIGGER audit_event_no_update;", "DROP TRIGGER audit_event_no_delete;"]

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
    BEGIN
        IF coalesce(current_setting('familybridge.audit_purge_permitted', true), '') = 'on' THEN
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
        RAISE EXCEPTION 'audit events are append-only: %% refused', TG_OP;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();
    """,
    """
    CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER audit_event_no_truncate ON audit_auditevent;",
    "DROP TRIGGER audit_event_no_change ON audit_auditevent;",
    "DROP FUNCTION audit_event_refuse_change();",
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
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
