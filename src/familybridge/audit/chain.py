"""How an audit event's seal is computed: one definition for writing and verifying.

Each event is sealed with HMAC-SHA-256 under the key in FAMILYBRIDGE_AUDIT_KEY, which lives in the
environment and never in the database: someone who can write to the database but does not hold the
key cannot recompute the chain after changing, inserting or removing an event.
"""

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from django.conf import settings

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
    "key_id",
    "previous_hash",
)


def key_id(key: bytes) -> str:
    """A short public name for a key, stored with each event, so verify can tell which key sealed it."""
    return hmac.new(key, b"familybridge audit key id", hashlib.sha256).hexdigest()[:16]


def signing_key() -> bytes:
    return settings.FAMILYBRIDGE_AUDIT_KEY.encode()


def verification_keys() -> dict[str, bytes]:
    """The current key and any retired ones (earlier chain segments), by key id."""
    keys = [signing_key(), *(retired.encode() for retired in settings.FAMILYBRIDGE_AUDIT_RETIRED_KEYS)]
    return {key_id(key): key for key in keys}


def canonical(fields: dict[str, Any], names: tuple[str, ...]) -> bytes:
    values = {name: fields[name] for name in names}
    for name, value in values.items():
        if isinstance(value, datetime):
            values[name] = value.isoformat(timespec="microseconds")
    return json.dumps(values, sort_keys=True, separators=(",", ":"), default=str).encode()


def event_hash(fields: dict[str, Any], key: bytes) -> str:
    return hmac.new(key, b"event:" + canonical(fields, HASHED_FIELDS), hashlib.sha256).hexdigest()


CHECKPOINT_FIELDS = ("count", "last_hash", "at", "key_id")


def checkpoint_mac(fields: dict[str, Any], key: bytes) -> str:
    # A different prefix from events', so a checkpoint's seal can never pass for an event's.
    return hmac.new(key, b"checkpoint:" + canonical(fields, CHECKPOINT_FIELDS), hashlib.sha256).hexdigest()
