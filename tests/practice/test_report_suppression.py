"""Finding 14 through the published report: the page and its CSV never let a reader work out a
suppressed group's answers from the figures that are shown."""

import csv
import io

from django.urls import reverse

from familybridge.practice import services
from tests.conftest import sign_in
from tests.practice.conftest import answer_round

# The finding's case: one court respondent beside two shown systems of five.
ONE_JUDGE = {
    "child_welfare": [(5, 3), (5, 3), (4, 3), (4, 3), (5, 3)],
    "treatment": [(2, 3), (2, 3), (3, 3), (1, 3), (2, 3)],
    "court": [(1, 5)],
}


def test_the_csv_does_not_give_away_a_single_suppressed_respondent(client, open_round, coordinator, partnership):
    answer_round(open_round, ONE_JUDGE)
    services.close_round(coordinator, open_round)
    sign_in(client, coordinator)
    export = client.get(reverse("practice:report-csv", args=[partnership.slug, open_round.pk]))
    rows = {(row["level"], row["id"]): row for row in csv.DictReader(io.StringIO(export.content.decode()))}
    for item in ("V01", "V02"):
        row = rows[("item", item)]
        assert row["court_n"] == "1" and row["court_mean"] == "suppressed"
        # Before: n 11, mean 3.09 -> 34 - 23 (child welfare) - 10 (treatment) = the judge's 1.
        assert row["n"] == "11" and row["mean"] == "suppressed" and row["sd"] == "suppressed"
    # The shown systems and the gap between them stay.
    assert rows[("item", "V01")]["child_welfare_mean"] == "4.6" and rows[("item", "V01")]["gap"] == "2.6"
    element = rows[("element", "1")]
    assert element["court_mean"] == "suppressed" and element["child_welfare_mean"] == "3.8"

    page = client.get(reverse("practice:report", args=[partnership.slug, open_round.pk])).content.decode()
    assert "3.09" not in page and "withheld" in page and "2.60" in page
