"""Assignments follow the records they are about: a discharge from treatment ends the program's assignments to
the client, whatever recorded it."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from familybridge.cases.models import TreatmentEpisode
from familybridge.people import services


@receiver(post_save, sender=TreatmentEpisode)
def discharge_ends_the_programs_assignments(sender, instance: TreatmentEpisode, **kwargs) -> None:
    if instance.discharge_date and not kwargs.get("raw"):
        services.end_for_discharge(instance.owner_agency_id, instance.subject_id, instance.discharge_date)
