"""The versions of every record about a person, kept by django-simple-history, read only through the policy point.

A record's historical rows hold the same protected information as the record (every column, every version),
so they are guarded like the record: the historical model's managers refuse to return rows, except the
versions of one record the policy point has shown to the viewer (an instance carrying `policy_basis`).
`consent.policy` is the only place that binds a record to a viewer, so a record's history is shown exactly
to those the record is shown to, for the purpose it was read for; voided versions are shown to them too.
"""

from typing import Any

from django.db import models
from simple_history.manager import HistoricalQuerySet, HistoryManager
from simple_history.models import HistoricalRecords

from familybridge.people.protected import ProtectedQuerySet


class HistoricalRecordQuerySet(ProtectedQuerySet, HistoricalQuerySet):
    """The versions of protected records: refused unless they are the versions of a record the policy point showed."""


class VersionsOfAPermittedRecord(HistoryManager.from_queryset(HistoricalRecordQuerySet)):
    """`record.history`: the versions of that record, once the policy point has shown it to the viewer."""

    def get_queryset(self) -> HistoricalRecordQuerySet:
        queryset = super().get_queryset()
        if self.instance is not None and getattr(self.instance, "policy_basis", None) is not None:
            # The policy point has opened this record to the viewer: its versions are open with it.
            return queryset.unbound()
        return queryset


class HistoricalRecordBase(models.Model):
    """What every historical model of a protected record is built on (simple-history's `bases=`)."""

    # The historical table's own manager: no version leaves it without the record's policy read.
    objects = models.Manager.from_queryset(HistoricalRecordQuerySet)()

    # A version is a copy the record's own audit event already holds, before and after: not audited twice.
    audited = False

    class Meta:
        abstract = True


def record_versions() -> Any:
    """The `history` field of ProtectedRecord: every concrete record model gets its historical model."""
    return HistoricalRecords(
        inherit=True,
        bases=[HistoricalRecordBase],
        history_manager=VersionsOfAPermittedRecord,
        historical_queryset=HistoricalRecordQuerySet,
        history_change_reason_field=models.TextField(null=True),
        user_related_name="+",
    )
