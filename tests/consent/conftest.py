from datetime import date

import pytest

from familybridge.cases.models import TreatmentEpisode
from familybridge.consent import services


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
