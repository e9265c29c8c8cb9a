"""The queryset every protected record is read through.

A queryset of a protected model returns records only once the policy point has bound it to a viewer
and a purpose (`consent.policy.permitted`). Turning a bound queryset into model instances is a read:
the binding annotates each record with what opened it, attaches the §2.32 notice to Part 2 records,
and writes the accounting of disclosures. Counting, testing existence, or using the queryset as a
subquery or for ids (`.values()`) is a check, not a disclosure.

This module sits below the consent app (ProtectedRecord lives here), so it knows the binding only
by the one method it calls.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from django.db import models
from django.db.models.query import ModelIterable

# The modules that may read protected records without a viewer and purpose — through a protected
# model's `unrestricted` manager, `_base_manager`, an unbound queryset or raw SQL — and why. Kept
# here, in one place; tests/people/test_read_path_source.py fails on any such read elsewhere.
UNRESTRICTED_READERS: dict[str, str] = {
    "familybridge.people.protected": "the read path itself: Django's own validation reads, deletes",
    "familybridge.consent.policy": "the policy point evaluates the querysets it has filtered for a viewer",
    "familybridge.consent.signals": "rebuilding a family's grants when its membership changes (a system job)",
    "familybridge.people.services": "checking that an assigned client is a member of the family (nothing is shown)",
    "familybridge.people.history": "the versions of one record, once the policy point has shown that record",
    "familybridge.cases.corrections": "a record's dependents and stored version, before it is corrected or voided",
    "familybridge.people.selectors": "the membership rows of members the policy point has opened to the viewer",
    "familybridge.people.families": "validating a new member or relationship against the family's existing ones",
    "familybridge.cases.services": "validating a new record against existing ones (open episodes, dockets)",
    "familybridge.documents.services": "the orphan-file sweep compares stored file names with the documents' rows",
    "familybridge.intake.services": "a report's step checked against the report as stored (its allegations, members)",
    "familybridge.referrals.services": "the referral's current step, to validate the next step the program records",
    "familybridge.screening.services": "locking a screening invitation while its answers are saved",
    "familybridge.screening.selectors": "a parent's one-time screening link: the token is the key (no staff viewer)",
    "familybridge.messaging.services": "validating a message's subject, scheduling reports (system jobs)",
    "familybridge.messaging.reminders": "the reminder job: each notice's text is written for its recipient",
    "familybridge.outcomes.importing": "importing agency extracts: matching rows to existing records",
    "familybridge.outcomes.bulk": "bulk loading extracts with COPY; writes only",
    "familybridge.outcomes.engine": "the analytics engine reads the tables for aggregates with small cells suppressed",
    "familybridge.courts.services": (
        "a program's court report takes its provenance from the program's own episode; filing locks the draft "
        "and checks that its version was not already amended (nothing is shown)"
    ),
    "familybridge.audit.integrity": "the audit log's own triggers; no protected table is read",
    "familybridge.audit.services": "a bulk change's values before and after, written to the audit log only",
    "familybridge.audit.signals": "a record's stored values before a change, written to the audit log only",
    "familybridge.demo.families": "the demo loader builds its own fictional partnership",
    "familybridge.demo.messaging": "the demo loader builds its own fictional partnership",
    "familybridge.demo.outcomes": "the demo loader builds its own fictional partnership",
    "familybridge.demo.courts": "the demo loader builds its own fictional partnership",
    "familybridge.demo.screening": "the demo loader builds its own fictional partnership",
    "familybridge.demo.consent": "the demo loader builds its own fictional partnership",
    "familybridge.demo.people": "the demo loader builds its own fictional partnership",
    "familybridge.demo.corrections": "the demo loader builds its own fictional partnership",
    "familybridge.demo.worklists": "the demo loader builds its own fictional partnership",
    "familybridge.demo.notes": "the demo loader builds its own fictional partnership",
    "familybridge.demo.documents": "the demo loader builds its own fictional partnership",
    "familybridge.demo.referrals": "the demo loader builds its own fictional partnership",
}


class ReadWithoutPolicy(RuntimeError):
    """A protected model's records were asked for without the policy point's viewer and purpose."""


class ReadBinding(Protocol):
    """What the policy point binds a queryset to: it turns the bound queryset into the records shown."""

    def evaluate(self, queryset: "ProtectedQuerySet") -> list[models.Model]: ...


# Set while Django validates a record it is about to save (unique checks, constraints): a system read.
_validating: ContextVar[bool] = ContextVar("familybridge_protected_validating", default=False)


@contextmanager
def validation_reads() -> Iterator[None]:
    token = _validating.set(True)
    try:
        yield
    finally:
        _validating.reset(token)


class ProtectedQuerySet(models.QuerySet):
    """Refuses to return records unless the policy point bound it, or it is the unrestricted manager's.

    Writes (`create`, `update`, `delete`, `bulk_create`) and use as a subquery need no binding.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._policy_binding: ReadBinding | None = None
        self._unrestricted = False

    def _clone(self) -> "ProtectedQuerySet":
        clone = super()._clone()
        clone._policy_binding = self._policy_binding
        clone._unrestricted = self._unrestricted
        return clone

    def bound_to(self, binding: ReadBinding) -> "ProtectedQuerySet":
        """This queryset, read for the binding's viewer and purpose (the policy point calls this)."""
        clone = self._chain()
        clone._policy_binding = binding
        return clone

    def unbound(self) -> "ProtectedQuerySet":
        """The same query without a binding, unrestricted: what the policy point itself evaluates."""
        clone = self._chain()
        clone._policy_binding = None
        clone._unrestricted = True
        return clone

    def _reads_instances(self) -> bool:
        return self._policy_binding is not None and issubclass(self._iterable_class, ModelIterable)

    def _refuse_unbound(self) -> None:
        if self._policy_binding is None and not self._unrestricted and not _validating.get():
            name = self.model.__name__
            raise ReadWithoutPolicy(
                f"{name} records are read through the policy point (consent.policy.permitted or read) "
                f"with a viewer and a purpose; a system job reads {name}.unrestricted and is listed in "
                "people.protected.UNRESTRICTED_READERS."
            )

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            if self._reads_instances():
                self._result_cache = self._policy_binding.evaluate(self)
            else:
                self._refuse_unbound()
        super()._fetch_all()

    def iterator(self, chunk_size: int | None = None) -> Iterator[Any]:
        if self._reads_instances():
            # One evaluation, so the disclosures are one insert; bound lists are pages, not extracts.
            return iter(self._policy_binding.evaluate(self))
        self._refuse_unbound()
        return super().iterator(chunk_size)

    def count(self) -> int:
        self._refuse_unbound()
        return super().count()

    def exists(self) -> bool:
        self._refuse_unbound()
        return super().exists()

    def contains(self, obj: models.Model) -> bool:
        self._refuse_unbound()
        return super().contains(obj)

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._refuse_unbound()
        return super().aggregate(*args, **kwargs)

    def in_bulk(self, *args: Any, **kwargs: Any) -> dict[Any, models.Model]:
        self._refuse_unbound()
        return super().in_bulk(*args, **kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        # Deleting collects the rows it removes; that is a write, not a read.
        clone = self._chain()
        clone._unrestricted = True
        return super(ProtectedQuerySet, clone).delete()

    delete.alters_data = True
    delete.queryset_only = True


class ProtectedManager(models.Manager.from_queryset(ProtectedQuerySet)):
    pass


class UnrestrictedManager(ProtectedManager):
    """Every record, for system jobs only (imports, the outcomes engine, grants, loaders, validation).

    Records voided as entered in error are left out, so no job counts them by mistake (an "already in care"
    check, a reminder, a report); `unrestricted_with_voided` keeps them, for the jobs that match rows
    (the extract import) rather than act on them.
    """

    def __init__(self, include_voided: bool = False) -> None:
        super().__init__()
        self.include_voided = include_voided

    def get_queryset(self) -> ProtectedQuerySet:
        queryset = super().get_queryset()
        queryset._unrestricted = True
        return queryset if self.include_voided else queryset.filter(voided_at=None)
