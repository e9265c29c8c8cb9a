import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from familybridge.audit.chain import event_hash, key_id, signing_key
from familybridge.audit.context import AuditContext, ReadsOfRequest, current_context, current_reads
from familybridge.audit.models import AuditChainHead, AuditEvent


def client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def context_for_request(request: HttpRequest) -> AuditContext:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return AuditContext(
        actor_id=user.pk if signed_in else None,
        actor_username=user.get_username() if signed_in else "",
        agency_slug=user.agency.slug if signed_in and user.agency_id else "",
        client_address=client_address(request),
    )


def context_for_user(user: Any, address: str | None = None) -> AuditContext:
    return AuditContext(
        actor_id=user.pk,
        actor_username=user.get_username(),
        agency_slug=user.agency.slug if user.agency_id else "",
        client_address=address,
    )


def record_event(
    action: str,
    target: models.Model | None = None,
    *,
    purpose: str = "",
    details: dict[str, Any] | None = None,
    context: AuditContext | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Append one event to the chain. Whoever is acting comes from the request unless given."""
    context = context or current_context.get() or AuditContext(None, "", "", None)
    if target is not None:
        object_type = target._meta.label_lower
        object_id = str(target.pk)
    key = signing_key()
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        fields = {
            "sequence": head.last_sequence + 1,
            "occurred_at": timezone.now(),
            "actor_id": context.actor_id,
            "actor_username": context.actor_username,
            "agency_slug": context.agency_slug,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "purpose": purpose,
            "client_address": context.client_address,
            "details": _json_values(details or {}),
            "key_id": key_id(key),
            "previous_hash": head.last_hash,
        }
        event = AuditEvent.objects.create(**fields, hash=event_hash(fields, key))
        head.last_sequence = event.sequence
        head.last_hash = event.hash
        head.save(update_fields=["last_sequence", "last_hash"])
    return event


class _AuditJSONEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def _json_values(values: dict[str, Any]) -> dict[str, Any]:
    # The event is sealed over exactly what the database will give back: plain JSON, string keys.
    return json.loads(json.dumps(values, cls=_AuditJSONEncoder))


# Secrets are never copied into the log: that they changed is recorded, not what they are.
NOT_RECORDED_FIELDS = frozenset({"password", "token", "token_hash"})
NOT_RECORDED = "(not recorded)"


def field_values(instance: models.Model, names: Iterable[str] | None = None) -> dict[str, Any]:
    """A record's stored values by column (foreign keys as ids), the primary key left out."""
    meta = instance._meta
    fields = meta.concrete_fields if names is None else [meta.get_field(name) for name in names]
    return {f.attname: getattr(instance, f.attname) for f in fields if not f.primary_key}


def changed_values(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Only the fields whose value changed, as {"before": {...}, "after": {...}}; secrets masked."""
    changed = [name for name in after if name not in before or before[name] != after[name]]
    changed += [name for name in before if name not in after]

    def shown(values: dict[str, Any]) -> dict[str, Any]:
        return {
            name: NOT_RECORDED if name in NOT_RECORDED_FIELDS else values[name] for name in changed if name in values
        }

    return {"before": shown(before), "after": shown(after)}


@dataclass(frozen=True)
class RowChange:
    pk: Any
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)


def record_bulk_change(action: str, model: type[models.Model], rows: Iterable[RowChange]) -> AuditEvent | None:
    """One event for a write that bypasses the per-row signals (QuerySet.update, bulk_create), with each row's
    changed values before and after. Nothing is recorded for an empty write."""
    listed = [{"id": row.pk, **changed_values(row.before, row.after)} for row in rows]
    if not listed:
        return None
    return record_event(
        action, object_type=model._meta.label_lower, details={"bulk": True, "count": len(listed), "rows": listed}
    )


Record = TypeVar("Record", bound=models.Model)


@transaction.atomic
def audited_update(queryset: models.QuerySet[Record], **values: Any) -> int:
    """`queryset.update(**values)`, with one audit event holding each row's values before and after."""
    model = queryset.model
    names = [model._meta.get_field(name).attname for name in values]
    # The rows by primary key through the plain manager: the audit log reads their stored values only.
    rows = model._base_manager.filter(pk__in=queryset.values("pk")).select_for_update()
    before = {row["pk"]: row for row in rows.values("pk", *names)}
    if not before:
        return 0
    updated = model._base_manager.filter(pk__in=before).update(**values)
    after = model._base_manager.filter(pk__in=before).values("pk", *names)
    record_bulk_change(
        "update",
        model,
        (RowChange(row["pk"], _without_pk(before[row["pk"]]), _without_pk(row)) for row in after),
    )
    return updated


def _without_pk(row: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in row.items() if name != "pk"}


@transaction.atomic
def audited_bulk_create(records: Iterable[Record]) -> list[Record]:
    """`Model.objects.bulk_create(records)` (records of one model), with one audit event holding every new row's
    values."""
    records = list(records)
    if not records:
        return []
    model = type(records[0])
    created = model._default_manager.bulk_create(records)
    record_bulk_change("create", model, (RowChange(record.pk, after=field_values(record)) for record in created))
    return created


def note_read(object_type: str, ids: Iterable[Any], purpose: str) -> None:
    """Add records shown in this request to its read event (written once by the audit middleware).

    Outside a request (commands, tasks) nothing is collected: those audit their own actions.
    """
    reads = current_reads.get()
    shown = {str(pk) for pk in ids}
    if reads is None or not shown:
        return
    reads.records.setdefault(object_type, set()).update(shown)
    if purpose:
        reads.purposes.add(purpose)


def record_reads(reads: ReadsOfRequest) -> AuditEvent | None:
    """The one event of what a request read, when it read anything."""
    if not reads.records:
        return None
    return record_event(
        "read",
        purpose=", ".join(sorted(reads.purposes)),
        details={"records": {label: sorted(ids, key=int) for label, ids in sorted(reads.records.items())}},
    )
