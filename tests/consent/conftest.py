from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from familybridge.cases.models import TreatmentEpisode
from familybridge.consent import services
from familybridge.consent.models import REVOCATION_STATEMENT
from familybridge.consent.validation import ConsentTerms


def signed(day: date):
    return timezone.make_aware(datetime.combine(day, time(10)))


@pytest.fixture
def consent_terms(agencies, family):
    """What a mother typically agrees to: her program may tell the court and child welfare how treatment goes."""

    def make(**changes) -> ConsentTerms:
        values = {
            "subject": family.people["mom"],
            "kind": "purpose_specific",
            "disclosers": [agencies["sud"]],
            "recipients": [agencies["court"], agencies["cw"]],
            "purposes": ["court_monitoring", "case_planning"],
            "categories": ["sud.enrollment", "sud.toxicology"],
            "expires_on": timezone.localdate() + timedelta(days=365),
            "signer_name": "Ana Rivera",
            "signed_at": signed(date(2026, 1, 5)),
            "revocation_statement": REVOCATION_STATEMENT,
        }
        values.update(changes)
        return ConsentTerms(**values)

    return make


@pytest.fixture
def episode(agencies, family):
    return TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"],
        subject=family.people["mom"],
        admission_date=date(2026, 1, 20),
        level_of_care="2.1",
    )


@pytest.fixture
def consented(consent_terms):
    return services.record_consent(consent_terms())
