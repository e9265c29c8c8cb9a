"""The dashboard: who sees it, small cells, targets, export, and the drill-down through the policy point."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from familybridge.agencies.roles import Role
from familybridge.outcomes.engine import Period
from familybridge.outcomes.importing import import_extract
from familybridge.outcomes.indicators import BY_CODE
from familybridge.outcomes.models import OutcomeTarget
from familybridge.outcomes.selectors import cohort
from tests.conftest import sign_in
from tests.lists import assert_constant_queries
from tests.outcomes.extracts import children, write_extract
from tests.outcomes.test_worked_examples import P1_CHILDREN, P1_REMOVALS

END = "2021-09-30"


@pytest.fixture
def worked(agencies, tmp_path):
    import_extract(
        write_extract(tmp_path, people=P1_CHILDREN, cw_removals=P1_REMOVALS),
        partnership_slug="test",
        agency_slugs={"cw": "cw", "sud": "hope", "court": "court"},
    )


def signed_in(client, user):
    sign_in(client, user)
    return client


def p1_card(html: str) -> str:
    start = html.index('id="ind-P1"')
    return html[start : html.index("</article>", start)]


def test_partners_see_small_cells_as_under_11_and_no_rate_that_would_reveal_them(client, agencies, make_user, worked):
    coordinator = make_user("coord", agencies["cw"], Role.PARTNERSHIP_COORDINATOR)
    page = signed_in(client, coordinator).get(reverse("outcomes:dashboard"), {"end": END}).content.decode()
    card = p1_card(page)
    assert "&lt;11 children of &lt;11 children" in card and "withheld" in card and "42.9" not in card


def test_analysts_see_exact_figures(client, agencies, make_user, worked):
    analyst = make_user("analyst", agencies["cw"], Role.DATA_ANALYST)
    card = p1_card(signed_in(client, analyst).get(reverse("outcomes:dashboard"), {"end": END}).content.decode())
    assert "42.9%" in card and "3 children of 7 children" in card


def test_caseworkers_may_not_see_the_dashboard(client, agencies, make_user, worked):
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assert signed_in(client, worker).get(reverse("outcomes:dashboard")).status_code == 403


def test_exports_always_suppress_small_cells(client, agencies, make_user, worked):
    analyst = make_user("analyst", agencies["cw"], Role.DATA_ANALYST)
    response = signed_in(client, analyst).get(reverse("outcomes:export"), {"end": END})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    p1 = [r for r in rows if r["indicator"] == "P1" and r["period_end"] == END][0]
    assert (p1["numerator"], p1["denominator"], p1["value"]) == ("<11", "<11", "")
    assert len([r for r in rows if r["indicator"] == "P1"]) == 8


def test_coordinators_set_targets_and_the_dashboard_says_whether_each_is_met(client, agencies, make_user, worked):
    coordinator = make_user("coord", agencies["cw"], Role.PARTNERSHIP_COORDINATOR)
    analyst = make_user("analyst", agencies["cw"], Role.DATA_ANALYST)
    response = signed_in(client, coordinator).post(reverse("outcomes:targets"), {"P1": "40", "P4": "10"})
    assert response.status_code == 302
    assert dict(OutcomeTarget.objects.values_list("indicator", "target")) == {"P1": Decimal("40"), "P4": Decimal("10")}
    client.logout()
    page = signed_in(client, analyst).get(reverse("outcomes:dashboard"), {"end": END}).content.decode()
    assert "at least 40.00% —" in p1_card(page) and ">met<" in p1_card(page)
    assert signed_in(client, analyst).get(reverse("outcomes:targets")).status_code == 403


def test_drill_down_lists_only_the_records_the_policy_point_opens(client, agencies, make_user, worked):
    supervisor = make_user("super", agencies["cw"], Role.CW_SUPERVISOR)
    other = make_user("clinic", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    page = signed_in(client, supervisor).get(reverse("outcomes:cohort", args=["P1"]), {"end": END}).content.decode()
    assert page.count("<tr>") == 8  # the header and the seven children of the cohort
    assert "C1 Test" in page and "C10 Test" not in page
    # Another agency's clinical supervisor may see the figures, and none of the children behind them.
    assert list(cohort(other, BY_CODE["P1"], Period.twelve_months_to(date(2021, 9, 30))).records) == []


def test_the_drill_down_links_name_j2s_groups_in_words(client, agencies, make_user, worked):
    supervisor = make_user("super", agencies["cw"], Role.CW_SUPERVISOR)
    page = signed_in(client, supervisor).get(reverse("outcomes:dashboard"), {"end": END}).content.decode()
    assert "Records behind J2 (parent completed treatment)" in page and "Records behind J2 (all other children)" in page
    assert "withcompletedtreatment" not in page


def test_the_drill_down_costs_the_same_for_2_or_12_records_and_filters_by_the_numerator(
    client, agencies, make_user, tmp_path
):
    supervisor = make_user("super", agencies["cw"], Role.CW_SUPERVISOR)
    signed_in(client, supervisor)
    url = f"{reverse('outcomes:cohort', args=['P1'])}?end={END}"
    imported = []

    def children_in_care(how_many: int) -> None:
        start = len(imported)
        imported.extend(range(start, start + how_many))
        people = children(*((f"K{n}", "2015-01-01") for n in imported))
        removals = [(f"EK{n}", f"K{n}", "2020-11-01", "2021-06-01" if n % 2 else "", "reunification" if n % 2 else "")
                    for n in imported]
        import_extract(
            write_extract(tmp_path / f"extract{start}", people=people, cw_removals=removals),
            partnership_slug="test",
            agency_slugs={"cw": "cw", "sud": "hope", "court": "court"},
        )

    assert_constant_queries(client, url, children_in_care)
    assert client.get(url).context["page"].paginator.count == 12
    cohort_url = reverse("outcomes:cohort", args=["P1"])
    assert client.get(cohort_url, {"end": END, "counted": "yes"}).context["page"].paginator.count == 6
    assert client.get(cohort_url, {"end": END, "held_by": agencies["sud"].pk}).context["page"].paginator.count == 0
