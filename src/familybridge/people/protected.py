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
from typing import Any, Protocol

from django.db import models
from django.db.models.query import ModelIterable


class ReadBinding(Protocol):
    """What the policy point binds a queryset to: it turns the bound queryset into the records shown."""

    def evaluate(self, queryset: "ProtectedQuerySet") -> list[models.Model]: ...


class ProtectedQuerySet(models.QuerySet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._policy_binding: ReadBinding | None = None

    def _clone(self) -> "ProtectedQuerySet":
        clone = super()._clone()
        clone._policy_binding = self._policy_binding
        return clone

    def bound_to(self, binding: ReadBinding) -> "ProtectedQuerySet":
        """This queryset, read for the binding's viewer and purpose (the policy point calls this)."""
        clone = self._chain()
        clone._policy_binding = binding
        return clone

    def unbound(self) -> "ProtectedQuerySet":
        """The same query without its binding: what the binding itself evaluates."""
        clone = self._chain()
        clone._policy_binding = None
        return clone

    def _reads_instances(self) -> bool:
        return self._policy_binding is not None and issubclass(self._iterable_class, ModelIterable)

    def _fetch_all(self) -> None:
        if self._result_cache is None and self._reads_instances():
            self._result_cache = self._policy_binding.evaluate(self)
        super()._fetch_all()

    def iterator(self, chunk_size: int | None = None) -> Iterator[Any]:
        if self._reads_instances():
            # One evaluation, so the disclosures are one insert; bound lists are pages, not extracts.
            return iter(self._policy_binding.evaluate(self))
        return super().iterator(chunk_size)


ProtectedManager = models.Manager.from_queryset(ProtectedQuerySet)
