from django import template

from familybridge.consent import policy

register = template.Library()


@register.filter
def sees_outcomes(user) -> bool:
    """Whether to offer the outcomes dashboard: to those who may see aggregates."""
    return policy.may_see_aggregates(user)
