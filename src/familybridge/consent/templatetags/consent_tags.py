"""Template pieces every page showing records uses: the §2.32 notice and "Why can I see this?"."""

from typing import Any

from django import template

from familybridge.consent import access
from familybridge.consent.notices import REDISCLOSURE_NOTICE

register = template.Library()
register.filter("sees_emergency_log", access.sees_emergency_log)
register.filter("may_file_child_abuse_report", access.may_file_child_abuse_report)
register.filter("may_verify_consents", access.may_verify_consents)


def shows_part2(*shown: Any) -> bool:
    """Whether the policy point attached the §2.32 notice to any record given, alone or in a list."""
    return any(
        getattr(item, "redisclosure_notice", "")
        for records in shown
        for item in ([records] if hasattr(records, "redisclosure_notice") else records or [])
    )


@register.simple_tag
def redisclosure_text() -> str:
    return REDISCLOSURE_NOTICE


@register.inclusion_tag("consent/_redisclosure_notice.html")
def redisclosure_notice(*shown: Any) -> dict:
    """The notice, when no records are given or the policy point attached it to any of them."""
    return {"notice": REDISCLOSURE_NOTICE, "show": not shown or shows_part2(*shown)}


@register.inclusion_tag("consent/_why_link.html", takes_context=True)
def why_link(context: template.Context, item: Any) -> dict:
    """A link to the basis that opened a record (nothing for a Withheld marker)."""
    if not hasattr(item, "policy_basis"):
        return {"show": False}
    return {
        "show": True,
        "label": item._meta.label_lower,
        "pk": item.pk,
        "purpose": context.get("purpose", ""),
        "description": f"{item.get_category_display()} about {item.subject}",
    }


@register.inclusion_tag("consent/_person_links.html")
def consent_links(item: Any) -> dict:
    """The way from a family member to their consents and accounting of disclosures."""
    if not hasattr(item, "policy_basis"):
        return {"show": False}
    return {"show": True, "person_id": item.subject_id, "name": str(item.subject)}
