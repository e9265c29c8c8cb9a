"""Existing bases under the rule that only the discloser activates a disclosure.

A consent recorded by staff of a disclosing agency (or loaded without a recorder) counts as verified
by that agency on the day signed; from every other disclosing agency it waits for verification, and
its grants from that agency are removed. Agreements wait for every party's approval: their grants go
until each party's administrator approves on the agreements page.
"""

from django.db import migrations


def verify_what_the_disclosers_recorded(apps, schema_editor):
    Consent = apps.get_model("consent", "Consent")
    ConsentVerification = apps.get_model("consent", "ConsentVerification")
    Agency = apps.get_model("agencies", "Agency")
    Grant = apps.get_model("consent", "Grant")
    for consent in Consent.objects.filter(signed_at__isnull=False):
        disclosers = {agency.pk: agency for agency in consent.disclosers.all()}
        if consent.discloser_class:
            disclosers.update({a.pk: a for a in Agency.objects.filter(kind=consent.discloser_class)})
        if consent.recorded_by_id is None:
            verifying = list(disclosers)
        else:
            verifying = [pk for pk in disclosers if pk == consent.recorded_at_agency_id]
        ConsentVerification.objects.bulk_create(
            ConsentVerification(consent=consent, agency_id=pk, status="verified", decided_at=consent.signed_at)
            for pk in verifying
        )
        Grant.objects.filter(consent=consent).exclude(discloser_id__in=verifying).delete()
    Grant.objects.filter(agreement__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [("consent", "0003_discloser_verification_and_party_approval")]

    operations = [migrations.RunPython(verify_what_the_disclosers_recorded, migrations.RunPython.noop)]
