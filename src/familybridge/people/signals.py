"""Assignments follow the family's case: closing it ends the caseload assignments on it, whatever closed it."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from familybridge.people import services
from familybridge.people.models import Family


@receiver(post_save, sender=Family)
def closing_a_case_ends_its_caseload(sender, instance: Family, **kwargs) -> None:
    if instance.closed_on and not kwargs.get("raw"):
        services.end_for_closed_case(instance, instance.closed_on)
