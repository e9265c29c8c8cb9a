"""The referral pieces other pages show: the family page's referral section, and a screen's referral (a screen
shown as referred is not referred twice). Each reads through referrals.selectors, so through the policy point."""

from django import template
from django.utils import timezone

from familybridge.people.models import Family
from familybridge.referrals import selectors
from familybridge.referrals.models import Referral
from familybridge.screening.models import ScreeningResult

register = template.Library()


@register.simple_tag(takes_context=True)
def family_referrals(context: template.Context, family: Family, purpose: str) -> dict:
    """The referrals from the family's work that the viewer may see, each with its current step, timeliness and
    engagement signal as far as the policy point lets the viewer read the program's records."""
    user = context["request"].user
    today = timezone.localdate()
    views = selectors.referral_views(user, list(selectors.of_family(user, family.pk, purpose)), purpose, today=today)
    signals = selectors.engagement_signals(user, views, purpose, today=today)
    return {
        "rows": [(view, selectors.SIGNAL_LABELS[signals[view.referral.pk]]) for view in views],
        "hides_steps": any(not view.shares_steps for view in views),
    }


@register.simple_tag(takes_context=True)
def screen_referrals(context: template.Context, results: list, purpose: str) -> dict[int, Referral]:
    """The referral each shown screen led to, where the viewer may see it, by the screen's id."""
    ids = [result.pk for result in results if isinstance(result, ScreeningResult)]
    return selectors.of_screens(context["request"].user, ids, purpose) if ids else {}


@register.simple_tag
def referral_of(referrals: dict[int, Referral], result: ScreeningResult) -> Referral | None:
    return referrals.get(result.pk)
