"""Template pieces every page showing records uses: the §2.32 notice and "Why can I see this?"."""

from typing import Any

from django import template

from familybridge.consent import access
from familybridge.consent.notices import REDISCLOSURE_NOTICE, OncePerPage
from familybridge.consent.policy import Withheld
from familybridge.consent.withheld import group_withheld, withheld_markers

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


@register.inclusion_tag("consent/_redisclosure_notice.html", takes_context=True)
def redisclosure_notice(context: template.Context, *shown: Any) -> dict:
    """The notice, when no records are given or the policy point attached it to any of them.

    On a page that shows the notice once (its view puts a `OncePerPage` in the context as `redisclosure`),
    this is a link to it instead, and the page shows the notice where it ends (`page_redisclosure_notice`).
    """
    show = not shown or shows_part2(*shown)
    once: OncePerPage | None = context.get("redisclosure")
    if show and once is not None:
        once.needed = True
        return {"show": True, "link": True, "anchor": once.anchor}
    return {"notice": REDISCLOSURE_NOTICE, "show": show}


@register.inclusion_tag("consent/_redisclosure_notice.html", takes_context=True)
def page_redisclosure_notice(context: template.Context) -> dict:
    """The page's one notice, if any section linked to it; rendered after the sections that link to it."""
    once: OncePerPage | None = context.get("redisclosure")
    needed = once is not None and once.needed
    return {"notice": REDISCLOSURE_NOTICE, "show": needed, "anchor": once.anchor if needed else ""}


@register.filter
def shown(records: list) -> list:
    """The records of a list the policy point returned, without its Withheld markers."""
    return [item for item in records or [] if not isinstance(item, Withheld)]


@register.inclusion_tag("consent/_withheld_summary.html")
def withheld_summary(*lists: Any) -> dict:
    """One line for the records of a section the viewer may not see ("3 records withheld — why"), opening onto
    the reasons counted by category and agency, instead of a box per record."""
    markers = withheld_markers(*lists)
    return {"count": len(markers), "groups": group_withheld(markers)}


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
