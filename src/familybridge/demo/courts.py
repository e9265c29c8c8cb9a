"""A few court reports filed for upcoming hearings, so the court has something to read."""

from datetime import date

from django.core.exceptions import ValidationError

from familybridge.agencies.models import User
from familybridge.agencies.roles import Purpose
from familybridge.cases.models import Hearing
from familybridge.courts.models import CourtReport
from familybridge.courts.services import send_court_report

REPORTS = 4


def load_court_reports(today: date, author: User) -> None:
    if CourtReport.unrestricted.exists():
        return
    upcoming = Hearing.unrestricted.filter(
        hearing_date__gte=today, court_case__family__assignments__staff=author
    ).order_by("hearing_date", "pk")
    filed = set()
    for hearing in upcoming.select_related("court_case"):
        if len(filed) == REPORTS or hearing.court_case.family_id in filed:
            continue
        try:
            send_court_report(author, hearing, Purpose.COURT_PROCEEDING)
        except ValidationError:
            continue  # nothing the court may see yet for this family
        filed.add(hearing.court_case.family_id)
