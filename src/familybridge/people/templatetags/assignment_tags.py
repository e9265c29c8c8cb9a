"""The family page's "Assigned staff" panel: who works the family now and who did, as far as the viewer may know,
with the assigning supervisor's and the court's actions."""

from typing import Any

from django import template
from django.utils import timezone

from familybridge.cases import caseloads
from familybridge.cases import services as case_services
from familybridge.cases.models import CourtCase
from familybridge.consent import policy
from familybridge.people import services
from familybridge.people.models import Family

register = template.Library()


@register.inclusion_tag("assignments/_assigned_staff.html", takes_context=True)
def assigned_staff(context: dict[str, Any], family: Family, purpose: str) -> dict[str, Any]:
    user = context["user"]
    today = timezone.localdate()
    shown = list(caseloads.assignments_shown_on_family(user, family, purpose))
    current = [a for a in shown if a.ended_on is None or a.ended_on > today]
    court_cases = []
    if user.agency_id and user.agency.kind == "court":
        visible = policy.permitted(user, CourtCase.objects.filter(family=family), purpose)
        for court_case in visible:
            court_cases.append(
                {
                    "case": court_case,
                    "manage": case_services.may_manage_court_case(user, court_case),
                    "close": court_case.closed_on is None and case_services.may_close_court_case(user, court_case),
                    "attorneys": [
                        a
                        for a in current
                        if a.about_id == court_case.pk and a.capacity == "attorney" and a.ended_on is None
                    ],
                }
            )
    return {
        "user": user,
        "family": family,
        "today": today,
        "current": current,
        "history": [a for a in shown if a.ended_on is not None and a.ended_on <= today],
        "manages": family.closed_on is None and services.may_manage_family(user, family),
        "court_cases": court_cases,
    }
