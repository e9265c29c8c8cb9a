"""The record pages: the family page's menu, one form per kind, refusals a user would notice."""

from datetime import date

import pytest
from django.urls import reverse

from familybridge.agencies.roles import Role
from familybridge.cases import models as m
from familybridge.cases.services import RECORD_KINDS
from tests.conftest import sign_in


@pytest.fixture
def worker(agencies, family, make_user, assign, client):
    user = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(user, family)
    sign_in(client, user)
    return user


@pytest.fixture
def removal(agencies, family):
    return m.RemovalEpisode.objects.create(
        owner_agency=agencies["cw"], subject=family.people["kid"], family=family, removal_date=date(2026, 2, 1)
    )


def new_record_url(family, kind: str) -> str:
    return reverse("cases:new-record", args=[family.pk, kind])


def test_the_menu_offers_a_caseworker_only_child_welfare_records_and_the_kinds_every_agency_writes(
    client, worker, family
):
    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    # Kinds added from their own pages (screens, referrals, intake) are not in the menu.
    for kind in RECORD_KINDS.values():
        # Case notes and contacts (agency_kind None) are written by every agency that works the family.
        offered = kind.in_add_menu and kind.agency_kind in ("child_welfare", None)
        assert (new_record_url(family, kind.slug) in page) is offered


@pytest.mark.parametrize(
    "kind", [k.slug for k in RECORD_KINDS.values() if k.agency_kind == "child_welfare" and k.in_add_menu]
)
def test_every_child_welfare_form_opens_for_a_caseworker(client, worker, family, removal, kind):
    response = client.get(new_record_url(family, kind))
    assert response.status_code == 200
    assert RECORD_KINDS[kind].label in response.content.decode()


def test_a_caseworker_is_refused_a_treatment_form(client, worker, family):
    assert client.get(new_record_url(family, "toxicology")).status_code == 403


def test_an_unknown_kind_or_a_family_not_open_is_not_found(client, worker, agencies, family, make_user):
    assert client.get(new_record_url(family, "weather")).status_code == 404
    sign_in(client, make_user("other", agencies["cw"], Role.CASEWORKER))
    assert client.get(new_record_url(family, "visit")).status_code == 404


def test_the_child_choice_lists_only_the_familys_children(client, worker, family):
    form = client.get(new_record_url(family, "removal")).context["form"]
    assert list(form.fields["subject"].queryset) == [family.people["kid"]]


def test_saving_a_visit_returns_to_the_family_page_with_a_message(client, worker, family):
    response = client.post(
        new_record_url(family, "visit"),
        {
            "subject": family.people["kid"].pk,
            "parent": family.people["mom"].pk,
            "visit_date": "2026-03-04",
            "attended": "on",
            "supervised": "on",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("web:family-detail", args=[family.pk])
    assert "Family time visit recorded for Sofia Rivera." in response.content.decode()
    assert m.Visitation.unrestricted.get().parent == family.people["mom"]


def test_a_service_refusal_shows_on_the_form_and_saves_nothing(client, worker, family, removal):
    response = client.post(
        new_record_url(family, "placement"),
        {"episode": removal.pk, "setting_type": "foster", "setting_start": "2026-01-10"},
    )
    assert response.status_code == 200
    assert "A placement cannot start before removal (Feb 1, 2026)." in response.content.decode()
    assert not m.PlacementSetting.unrestricted.exists()
