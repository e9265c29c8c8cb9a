"""Audit log: events appended per second, events verified per second by `audit verify`, and what the key costs.

The last line compares the seal alone, HMAC-SHA-256 (keyed, today) against plain SHA-256 (before the
chain was keyed), over the same events.
"""

import hashlib

from _setup import best_of, django_on_scratch_database

django_on_scratch_database()

from django.db import connection  # noqa: E402

from familybridge.audit.chain import HASHED_FIELDS, canonical, event_hash, signing_key  # noqa: E402
from familybridge.audit.integrity import verify_chain  # noqa: E402
from familybridge.audit.models import AuditEvent  # noqa: E402
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

sealed = [{name: getattr(event, name) for name in HASHED_FIELDS} for event in AuditEvent.objects.all()]
key = signing_key()
hmac_seconds = best_of(5, lambda: [event_hash(fields, key) for fields in sealed])
sha_seconds = best_of(5, lambda: [hashlib.sha256(canonical(fields, HASHED_FIELDS)).hexdigest() for fields in sealed])
print(
    f"seal alone: HMAC-SHA-256 {len(sealed) / hmac_seconds:,.0f} events/s, "
    f"plain SHA-256 {len(sealed) / sha_seconds:,.0f} events/s ({sha_seconds / hmac_seconds:.2f}x)"
)
