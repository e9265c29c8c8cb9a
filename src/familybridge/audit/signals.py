"""Every change to a familybridge record writes an audit event, whatever code made it."""

from typing import Any

from django.db.models.signals import post_delete, post_save

from familybridge.audit.services import record_event

AUDITED_APP_PREFIX = "familybridge."
NOT_AUDITED = {"audit"}


def is_audited(sender: type) -> bool:
    meta = sender._meta
    # Historical models inside migrations have no app config: data migrations are not audited events.
    if meta.app_config is None:
        return False
    return meta.app_config.name.startswith(AUDITED_APP_PREFIX) and meta.app_label not in NOT_AUDITED


def on_save(sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw or not is_audited(sender):
        return
    record_event("create" if created else "update", instance)


def on_delete(sender: type, instance: Any, **kwargs: Any) -> None:
    if is_audited(sender):
        record_event("delete", instance)


def connect() -> None:
    post_save.connect(on_save, dispatch_uid="familybridge_audit_save")
    post_delete.connect(on_delete, dispatch_uid="familybridge_audit_delete")
