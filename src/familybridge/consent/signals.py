"""Keep the bases in step with the rest of the record: events that end consents, agencies that change."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from familybridge.agencies.models import Agency
from familybridge.cases.models import TreatmentEpisode
from familybridge.consent import grants, services
from familybridge.consent.models import ExpiryEvent
from familybridge.people.models import Family, FamilyMember


@receiver(post_save, sender=TreatmentEpisode)
def discharge_ends_consents(sender, instance: TreatmentEpisode, **kwargs) -> None:
    if instance.discharge_date:
        services.record_subject_event(instance.subject, ExpiryEvent.DISCHARGED, instance.discharge_date)


@receiver(post_save, sender=Family)
def case_closing_ends_consents(sender, instance: Family, **kwargs) -> None:
    if instance.closed_on:
        for member in FamilyMember.unrestricted.filter(family=instance).select_related("subject"):
            services.record_subject_event(member.subject, ExpiryEvent.CASE_CLOSED, instance.closed_on)


@receiver(post_save, sender=Agency)
def agency_change_rebuilds_its_grants(sender, instance: Agency, created: bool, **kwargs) -> None:
    if not kwargs.get("raw"):
        grants.sync_agency(instance)
