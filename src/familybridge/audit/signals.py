"""Every change to a familybridge record writes an audit event with the changed values before and after.

Writes that send no signals (QuerySet.update, bulk_create) are audited by the service that makes
them, through audit.services.audited_update / audited_bulk_create.
"""

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save

from familybridge.audit.services import changed_values, field_values, record_event

AUDITED_APP_PREFIX = "familybridge."
NOT_AUDITED = {"audit"}
# Where pre_save leaves a record's stored values for post_save to compare with.
STORED_VALUES = "_audit_stored_values"
# Where a service leaves why it changed a record: django-simple-history's name, so the version carries it too.
CHANGE_REASON = "_change_reason"


def is_audited(sender: type) -> bool:
    meta = sender._meta
    # Historical models inside migrations have no app config: data migrations are not audited events.
    if meta.app_config is None:
        return False
    # A record's versions (people.history) copy what the record's own event already holds.
    if not getattr(sender, "audited", True):
        return False
    return meta.app_config.name.startswith(AUDITED_APP_PREFIX) and meta.app_label not in NOT_AUDITED


def _saved_names(sender: type[Model], update_fields: Any) -> list[str]:
    meta = sender._meta
    if update_fields is None:
        return [f.attname for f in meta.concrete_fields if not f.primary_key]
    return [meta.get_field(name).attname for name in update_fields]


def before_save(
    sender: type[Model], instance: Model, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    if raw or not is_audited(sender) or instance._state.adding or instance.pk is None:
        return
    names = _saved_names(sender, update_fields)
    stored = sender._base_manager.filter(pk=instance.pk).values(*names).first()
    instance.__dict__[STORED_VALUES] = stored or {}


def on_save(sender: type[Model], instance: Model, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw or not is_audited(sender):
        return
    stored = instance.__dict__.pop(STORED_VALUES, {})
    after = field_values(instance, None if created else [sender._meta.get_field(name).name for name in stored])
    details: dict[str, Any] = changed_values(stored, after)
    # Why a record was corrected or voided (the reason its new version carries, cases.corrections).
    reason = getattr(instance, CHANGE_REASON, None)
    if reason:
        details["reason"] = reason
    record_event("create" if created else "update", instance, details=details)


def on_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if is_audited(sender):
        record_event("delete", instance, details=changed_values(field_values(instance), {}))


def connect() -> None:
    pre_save.connect(before_save, dispatch_uid="familybridge_audit_before_save")
    post_save.connect(on_save, dispatch_uid="familybridge_audit_save")
    post_delete.connect(on_delete, dispatch_uid="familybridge_audit_delete")
