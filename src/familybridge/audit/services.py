from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from familybridge.audit.chain import event_hash
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
            "details": details or {},
            "previous_hash": head.last_hash,
        }
        event = AuditEvent.objects.create(**fields, hash=event_hash(fields))
        head.last_sequence = event.sequence
        head.last_hash = event.hash
        head.save(update_fields=["last_sequence", "last_hash"])
    return event


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
