"""The family page's screening section reads its data here, through the screening selectors."""

from django import template

from familybridge.agencies.roles import ASSESSMENT_ROLES, SCREENING_ROLES
from familybridge.screening import charts, selectors
from familybridge.screening.instruments import CUTOFF_KEY_LABELS

register = template.Library()


@register.simple_tag(takes_context=True)
def family_screening(context, family, purpose) -> dict:
    user = context["request"].user
    screening = selectors.family_screening(user, family, purpose)
    may_screen = user.has_role(*SCREENING_ROLES)
    return {
        "results": screening.results,
        "assessments": screening.assessments,
        "chart": charts.history_chart_data_uri(reversed(screening.chart_results)),
        "people": selectors.screenable_people(user, family, purpose) if may_screen else [],
        "instruments": selectors.instruments_for(selectors.partnership_of(user.agency)).values() if may_screen else [],
        "may_assess": user.has_role(*ASSESSMENT_ROLES),
    }


@register.filter
def cutoff_group(applies_to: str) -> str:
    """Whom a cut-off value applies to, in words ("older_adult" reads "Older adults")."""
    return CUTOFF_KEY_LABELS.get(applies_to, applies_to)


@register.simple_tag(takes_context=True)
def family_safety_flags(context, family, purpose) -> dict:
    """The family page's safety flags: each awaiting its follow-up (overdue after 24 hours) or followed up."""
    user = context["request"].user
    return {
        "flags": selectors.family_safety_flags(user, family, purpose),
        "may_record": user.has_role(*SCREENING_ROLES),
    }
