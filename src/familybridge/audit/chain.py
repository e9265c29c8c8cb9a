"""How an audit event's hash is computed: one definition for writing and verifying."""

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64

HASHED_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_username",
    "agency_slug",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "client_address",
    "details",
    "previous_hash",
)


def event_hash(fields: dict[str, Any]) -> str:
    canonical = {name: fields[name] for name in HASHED_FIELDS}
    occurred_at = canonical["occurred_at"]
    if isinstance(occurred_at, datetime):
        canonical["occurred_at"] = occurred_at.isoformat(timespec="microseconds")
    payload = json.dumps(canonical, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode()).hexdigest()
