from typing import Any

from django import template

from familybridge.cases.corrections import may_amend
from familybridge.cases.services import kind_of, writable_kinds
from familybridge.people.models import Family

register = template.Library()


@register.simple_tag
def record_kinds_for(user) -> list:
    """The kinds of record the user may add: the family page's "Add a record" menu."""
    return writable_kinds(user) if user.is_authenticated else []


@register.inclusion_tag("cases/_record_actions.html", takes_context=True)
def record_actions(context: template.Context, item: Any, family: Family) -> dict:
    """A shown record's links: its history, and for its writer or a supervisor of their agency, correct and void.

    Nothing for a Withheld marker or a kind without versions to show; no query."""
    kind = kind_of(item) if hasattr(item, "policy_basis") else None
    if kind is None or kind.rules is None:
        return {"show": False}
    return {
        "show": True,
        "kind": kind.slug,
        "pk": item.pk,
        "family": family,
        "purpose": context.get("purpose", ""),
        "amend": may_amend(context["user"], item),
        "description": f"{kind.label.lower()} about {item.subject}",
    }
