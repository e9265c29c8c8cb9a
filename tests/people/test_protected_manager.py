"""Protected models' default managers return no person data without the policy point's viewer and
purpose; writes, subqueries and the allow-listed unrestricted manager keep working."""

from datetime import date

import pytest
from django.db.models import Count

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.models import TreatmentEpisode
from familybridge.consent import policy
from familybridge.people.models import Family, FamilyMember, Person
from familybridge.people.protected import ReadWithoutPolicy

READS = {
    "iterate": list,
    "get": lambda qs: qs.get(),
    "first": lambda qs: qs.first(),
    "count": lambda qs: qs.count(),
    "exists": lambda qs: qs.exists(),
    "aggregate": lambda qs: qs.aggregate(n=Count("pk")),
    "in_bulk": lambda qs: qs.in_bulk(),
    "iterator": lambda qs: list(qs.iterator()),
    "values": lambda qs: list(qs.values("pk")),
}


@pytest.fixture
def episode(agencies, family):
    return TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=family.people["mom"], admission_date=date(2026, 1, 9)
    )


@pytest.mark.parametrize("how", READS)
def test_an_unbound_read_of_a_protected_model_is_refused_and_names_the_model(episode, how):
    with pytest.raises(ReadWithoutPolicy, match="TreatmentEpisode records are read through the policy point"):
        READS[how](TreatmentEpisode.objects.filter(pk=episode.pk))


def test_a_related_manager_of_a_protected_model_is_refused_too(family):
    with pytest.raises(ReadWithoutPolicy, match="FamilyMember"):
        list(family.members.all())


def test_a_bound_queryset_reads_and_checks(agencies, family, episode, make_user, assign):
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    assign(counselor, family)
    bound = policy.permitted(counselor, TreatmentEpisode.objects.all(), Purpose.TREATMENT)
    assert bound.count() == 1 and bound.exists()
    [record] = list(bound)
    assert record == episode and record.policy_basis.kind == "own_agency"


def test_writes_subqueries_and_the_unrestricted_manager_keep_working(agencies, family, episode):
    subjects = FamilyMember.objects.filter(family=family).values("subject_id")
    assert Person.objects.filter(pk__in=subjects).count() == 3
    assert TreatmentEpisode.objects.filter(pk=episode.pk).update(level_of_care="2.1") == 1
    assert TreatmentEpisode.unrestricted.get(pk=episode.pk).level_of_care == "2.1"
    episode.refresh_from_db()
    TreatmentEpisode.objects.filter(pk=episode.pk).delete()
    assert not TreatmentEpisode.unrestricted.exists()
    Family.objects.filter(pk=family.pk).delete()  # cascades through the members
    assert not FamilyMember.unrestricted.exists()
