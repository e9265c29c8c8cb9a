"""Correcting the record: every kind of record (cases.services.RECORD_KINDS) can be corrected with a reason, or
voided as entered in error, by the staff member who wrote it or a supervisor of the agency that wrote it.

A correction runs the rules the record was written under (the kind's `rules`, shared with the service that
creates it) and changes only the kind's editable fields. A voided record leaves every read of the policy
point and of the `unrestricted` manager (timeline, clocks, court reports, worklists, reminders, indicators).
The values before, the reason and who changed them stay in the record's versions (people.history), which
only those the policy point shows the record to may read; the audit log holds each change before and after
with its reason.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.agencies.roles import Role
from familybridge.cases import services
from familybridge.cases.services import RECORD_KINDS, RecordKind, kind_of
from familybridge.consent import policy
from familybridge.dates import us_date, us_time
from familybridge.people.models import Family, FamilyMember, ProtectedRecord

# The supervising roles of each kind of agency: they may correct or void any record their agency wrote.
SUPERVISING_ROLES = frozenset({Role.CW_SUPERVISOR, Role.CLINICAL_SUPERVISOR, Role.COURT_COORDINATOR})


def writing_agency_id(record: ProtectedRecord) -> int:
    """The agency whose staff wrote the record: its owner, or the agency it came from (a referral's referrer,
    `originating_agency_field`): the program keeps the referral, but its words are the referrer's."""
    field = getattr(type(record), "originating_agency_field", None)
    return getattr(record, f"{field}_id") if field else record.owner_agency_id


def may_amend(user: User, record: ProtectedRecord) -> bool:
    """Whether the user may correct or void the record: its writer, or a supervisor of the agency that wrote it,
    still in a role that writes its kind. No query: the family page asks this of every record it lists."""
    kind = kind_of(record)
    if kind is None or kind.rules is None or record.is_voided or not user.is_authenticated:
        return False
    if user.agency_id is None or user.agency_id != writing_agency_id(record) or not kind.writable_by(user):
        return False
    return record.recorded_by_id == user.pk or user.has_role(*SUPERVISING_ROLES)


def _ensure_may_amend(user: User, family: Family, record: ProtectedRecord) -> RecordKind:
    if not may_amend(user, record):
        raise PermissionDenied(
            "Only the staff member who wrote this record, or a supervisor of the agency that wrote it, "
            "corrects or voids it."
        )
    services.ensure_family_visible(user, family)
    if not FamilyMember.unrestricted.filter(family=family, subject_id=record.subject_id).exists():
        raise PermissionDenied("This record is not about a member of this family.")
    return kind_of(record)


def _reason(reason: str, action: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": f"Say why the record is {action}: the history keeps it."})
    return reason


def _tracked_values(record: ProtectedRecord) -> dict[str, Any]:
    return {field.attname: getattr(record, field.attname) for field in record.history.model.tracked_fields}


def _keep_stored_version(record: ProtectedRecord) -> None:
    """Before a correction or a void, the record's stored values are its latest version.

    A record an extract brought in (a bulk load saves no version) or one a bulk update changed has none
    yet: its stored values are kept now, so the history always holds the original."""
    stored = _tracked_values(record)
    # A write path, not a read: the versions are compared with the stored values and shown to no one.
    latest = record.history.unbound().order_by("-history_date", "-history_id").first()
    if latest is not None and all(getattr(latest, name) == value for name, value in stored.items()):
        return
    record.history.model.objects.create(
        # An extract's record as of when it was stored; values a bulk update left, as of now.
        history_date=record.updated_at if latest is None else timezone.now(),
        history_type="+" if latest is None else "~",
        history_user_id=record.recorded_by_id if latest is None else None,
        history_change_reason=None,
        **stored,
    )


def _save(record: ProtectedRecord, user: User, reason: str, fields: list[str]) -> None:
    # simple-history takes the version's author and reason from these; the audit event takes the reason too.
    record._history_user = user
    record._change_reason = reason
    record.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def correct_record(
    user: User, family: Family, record: ProtectedRecord, changes: dict[str, Any], reason: str
) -> ProtectedRecord:
    """Change a record's editable fields, with a reason, under the rules it was written under."""
    kind = _ensure_may_amend(user, family, record)
    reason = _reason(reason, "corrected")
    editable = kind.correctable_fields(record)
    if not set(changes) <= set(editable):
        raise ValueError(f"{kind.label} corrects only {', '.join(editable)}.")
    values = {field.name: getattr(record, field.name) for field in record._meta.concrete_fields} | changes
    checked = kind.rules(user, family, values, record)
    changed = [name for name in editable if checked[name] != getattr(record, name)]
    if not changed:
        raise ValidationError("Nothing was changed: change a value to correct the record.")
    _keep_stored_version(record)
    for name in changed:
        setattr(record, name, checked[name])
    _save(record, user, reason, changed)
    if kind.sync is not None:
        kind.sync(record)
    return record


def _dependents(record: ProtectedRecord) -> list[tuple[Any, QuerySet]]:
    """The records hanging on this one (an episode's placements, a case's hearings), not voided."""
    found = []
    for relation in record._meta.related_objects:
        related = relation.related_model
        if relation.many_to_many or not issubclass(related, ProtectedRecord):
            continue
        rows = related.unrestricted.filter(**{relation.field.name: record})
        found.append((relation, rows))
    return found


@transaction.atomic
def void_record(user: User, family: Family, record: ProtectedRecord, reason: str) -> ProtectedRecord:
    """Mark a record entered in error: it leaves every list, clock, report and indicator; its history keeps it.

    A record other records hang on is voided after them (or with them, for a kind's `voids_with`)."""
    kind = _ensure_may_amend(user, family, record)
    reason = _reason(reason, "voided")
    if kind.void_check is not None:
        kind.void_check(record)
    voided_with = []
    for relation, rows in _dependents(record):
        if relation.get_accessor_name() in kind.voids_with:
            voided_with += list(rows)
        elif count := rows.count():
            meta = relation.related_model._meta
            what = meta.verbose_name_plural if count > 1 else meta.verbose_name
            raise ValidationError(f"Void the {count} {what} recorded under this record first.")
    for each in [record, *voided_with]:
        _keep_stored_version(each)
        each.voided_at, each.voided_by, each.void_reason = timezone.now(), user, reason
        _save(each, user, reason, ["voided_at", "voided_by", "void_reason"])
    if kind.sync is not None:
        kind.sync(record)
    return record


# Reading a record to amend it, and its history


def _about_family(family: Family) -> QuerySet:
    return FamilyMember.objects.filter(family=family).values("subject_id")


def record_kind(slug: str) -> RecordKind | None:
    kind = RECORD_KINDS.get(slug)
    return kind if kind is not None and kind.model is not None else None


def record_of_family(
    user: User, family: Family, kind: RecordKind, pk: int, purpose: str, *, include_voided: bool = False
) -> ProtectedRecord | None:
    """One record about a member of the family, read through the policy point (None when it is not shown).

    Only a record's history page passes `include_voided`, to show a voided record as voided."""
    queryset = kind.model.objects.filter(pk=pk, subject__in=_about_family(family))
    queryset = queryset.select_related("subject", "owner_agency", "recorded_by", "voided_by")
    return policy.permitted(user, queryset, purpose, include_voided=include_voided).first()


@dataclass(frozen=True)
class FieldValue:
    label: str
    value: str
    changed: bool


@dataclass(frozen=True)
class Version:
    """One version of a record: when, by whom and why it was written, and its values then."""

    number: int
    at: datetime
    by: str
    reason: str
    action: str
    voided: bool
    values: list[FieldValue]


def _shown(version: models.Model, name: str) -> str:
    field = version._meta.get_field(name)
    value = getattr(version, field.attname)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        moment = timezone.localtime(value)
        return f"{us_date(moment)}, {us_time(moment)}"
    if isinstance(value, date):
        return us_date(value)
    return str(value)


def _label(record: ProtectedRecord, name: str) -> str:
    return str(record._meta.get_field(name).verbose_name).capitalize()


def current_values(record: ProtectedRecord) -> list[FieldValue]:
    """The record's editable fields as they stand: what the void confirmation page shows."""
    kind = kind_of(record)
    return [FieldValue(_label(record, name), _shown(record, name), False) for name in kind.editable]


def _author(record: ProtectedRecord, version: models.Model) -> str:
    """Who saved a version; a first version saved outside a request (an import, a loader) is its writer's."""
    author = version.history_user or (record.recorded_by if version.history_type == "+" else None)
    return str(author) if author else "—"


def _action(history_type: str, voided_now: bool) -> str:
    if voided_now:
        return "Voided"
    return "Recorded" if history_type == "+" else "Corrected"


def versions(record: ProtectedRecord) -> list[Version]:
    """The record's versions, oldest first, each with its editable fields (changed ones marked).

    `record` must come from the policy point (`record_of_family`): the versions are guarded like the record
    and open only with it. One query, whatever the number of versions."""
    kind = kind_of(record)
    names = list(kind.editable) if kind is not None else []
    rows = list(record.history.select_related("history_user").order_by("history_date", "history_id"))
    shown: list[Version] = []
    previous: dict[str, str] = {}
    was_voided = False
    for number, row in enumerate(rows, start=1):
        values = {name: _shown(row, name) for name in names}
        voided = row.voided_at is not None
        action = _action(row.history_type, voided and not was_voided)
        shown.append(
            Version(
                number=number,
                at=row.history_date,
                by=_author(record, row),
                reason=row.history_change_reason or "",
                action=action,
                voided=voided,
                values=[
                    FieldValue(_label(record, name), value, bool(previous) and previous.get(name) != value)
                    for name, value in values.items()
                ],
            )
        )
        previous, was_voided = values, voided
    return shown
