"""Audit log: events appended per second, and events verified per second by `audit verify`."""

from _setup import best_of, django_on_scratch_database

django_on_scratch_database()

from django.db import connection  # noqa: E402

from familybridge.audit.integrity import verify_chain  # noqa: E402
from familybridge.audit.services import record_event  # noqa: E402

EVENTS = 2000


def append() -> None:
    for i in range(EVENTS):
        record_event("view", object_type="people.family", object_id=str(i), purpose="case_planning")


append_seconds = best_of(1, append)
verify_seconds = best_of(3, verify_chain)
events = verify_chain().events_checked
print(f"database: {connection.vendor}")
print(f"audit append: {EVENTS / append_seconds:,.0f} events/s ({EVENTS} events, one transaction each)")
print(f"audit verify: {events / verify_seconds:,.0f} events/s ({events} events)")
