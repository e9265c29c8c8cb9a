"""The intake section of the family page and the navigation link."""

from typing import Any

from django import template

from familybridge.intake.selectors import reports_of_family
from familybridge.people.families import may_open_families

register = template.Library()


@register.simple_tag(takes_context=True)
def family_intake(context: dict[str, Any], family: Any, purpose: str) -> dict[str, Any]:
    """The family's intake reports as the policy point shows them to the viewer."""
    user = context["request"].user
    return {"reports": reports_of_family(user, family, purpose), "may_receive": may_open_families(user)}


register.filter("works_intake", may_open_families)
