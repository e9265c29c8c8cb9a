"""A discharge recorded on the episode a referral's admission opened is a step of that referral for its referrer."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from familybridge.cases.models import DischargeSummary
from familybridge.referrals import services


@receiver(post_save, sender=DischargeSummary, dispatch_uid="referrals_discharge_notice")
def discharge_tells_the_referrer(sender: type, instance: DischargeSummary, created: bool, **kwargs: Any) -> None:
    # In the discharge's transaction: a rolled-back trial leaves no notice, and the email goes out on commit.
    if created and not kwargs.get("raw"):
        services.notify_discharge(instance)
