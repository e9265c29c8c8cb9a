"""Template pieces every page showing records uses: the §2.32 notice and "Why can I see this?"."""

from collections.abc import Iterable
from typing import Any

from django import template

from familybridge.consent import access

register = template.Library()
register.filter("sees_emergency_log", access.sees_emergency_log)
register.filter("may_file_child_abuse_report", access.may_file_child_abuse_report)
register.filter("may_verify_consents", access.may_verify_consents)

# 42 CFR §2.32(a)(1), as revised in 2024.
REDISCLOSURE_NOTICE = (
    "This record which has been disclosed to you is protected by federal confidentiality rules (42 CFR part 2). "
    "These rules prohibit you from using or disclosing this record, or testimony that describes the information "
    "contained in this record, in any civil, criminal, administrative, or legislative proceedings by any Federal, "
    "State, or local authority, against the patient, unless authorized by the consent of the patient, except as "
    "provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. In addition, "
    "the federal rules prohibit you from making any other use or disclosure of this record unless at least one of "
    "the following applies: (i) Further use or disclosure is expressly permitted by the written consent of the "
    "individual whose information is being disclosed in this record or as otherwise permitted by 42 CFR part 2. "
    "(ii) You are a covered entity or business associate and have received the record for treatment, payment, or "
    "health care operations, or (iii) You have received the record from a covered entity or business associate as "
    "permitted by 45 CFR part 164, subparts A and E. A general authorization for the release of medical or other "
    "information is NOT sufficient to meet the required elements of written consent to further use or redisclose "
    "the record (see 42 CFR 2.31)."
)


def shows_part2(*groups: Iterable[Any]) -> bool:
    """Whether any record among those the policy point returned is Part 2 information."""
    return any(getattr(item, "policy_part2", False) for group in groups for item in (group or []))


@register.simple_tag
def redisclosure_text() -> str:
    return REDISCLOSURE_NOTICE


@register.inclusion_tag("consent/_redisclosure_notice.html")
def redisclosure_notice(*groups: Iterable[Any]) -> dict:
    """The notice, when no groups are given or any record in them is Part 2 information."""
    return {"notice": REDISCLOSURE_NOTICE, "show": not groups or shows_part2(*groups)}


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
