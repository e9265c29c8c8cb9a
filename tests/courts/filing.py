"""Filing a report the way its author does: a draft, the sign-off, then filing."""

from familybridge.agencies.models import User
from familybridge.agencies.roles import Purpose
from familybridge.cases.models import Hearing
from familybridge.courts import services
from familybridge.courts.models import CourtReport


def file_new_report(author: User, hearing: Hearing, purpose: str = Purpose.COURT_PROCEEDING) -> CourtReport:
    draft = services.start_report(
        author,
        hearing,
        purpose=purpose,
        narrative="Ana has attended every session since January.",
        recommendations="Continue the case plan; review in 90 days.",
    )
    services.sign_off(author, draft)
    return services.file_report(author, draft)
