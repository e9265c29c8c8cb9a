from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.audit.context import AuditContext, current_context
from familybridge.demo.consent import load_consents
from familybridge.demo.corrections import load_corrections
from familybridge.demo.courts import load_court_reports, load_docket
from familybridge.demo.documents import load_documents
from familybridge.demo.families import DemoContext, load_families, load_intake_queues
from familybridge.demo.intake import load_intake
from familybridge.demo.messaging import load_protocol, load_reports_and_messages
from familybridge.demo.notes import load_notes
from familybridge.demo.outcomes import load_outcomes
from familybridge.demo.people import load_people
from familybridge.demo.practice import load_practice
from familybridge.demo.referrals import load_referrals
from familybridge.demo.safety import load_safety
from familybridge.demo.screening import load_screening
from familybridge.demo.staff import STAFF, load_agencies, load_departure, load_staff, load_teams
from familybridge.demo.worklists import load_worklist_items


@dataclass(frozen=True)
class DemoSummary:
    families_created: int
    staff: list[User]


def load_demo() -> DemoSummary:
    """Load the demo partnership; running it again adds nothing that is already there."""
    token = current_context.set(AuditContext(None, "familybridge demo", "", None))
    try:
        with transaction.atomic():
            partnership, agencies = load_agencies()
            users = load_staff(agencies)
            load_teams(agencies, users)
            ctx = DemoContext(
                today=timezone.localdate(),
                cw=agencies["cedar-dcfs"],
                providers=[agencies["new-dawn"], agencies["harbor"]],
                court=agencies["cedar-court"],
                caseworkers=[users["maria.alvarez"], users["james.brooks"], users["lin.chen"]],
                counselors={0: users["rosa.nguyen"], 1: users["ellen.moore"]},
                judge=users["judge.okafor"],
                judges=[users["judge.okafor"], users["judge.marsh"]],
                attorney=users["leah.reyes"],
                supervisor=users["denise.davis"],
                clinical_supervisors={"new-dawn": users["ben.walker"], "harbor": users["victor.lee"]},
                coordinator=users["carl.fischer"],
            )
            created = load_families(ctx)
            load_people(ctx, agencies["new-dawn"])
            load_intake_queues(ctx)
            load_intake(ctx)
            load_screening(ctx)
            load_practice(partnership, agencies, users, ctx.today)
            load_consents(ctx, ctx.counselors)
            load_protocol(partnership, agencies)
            load_reports_and_messages(ctx.today, users, agencies)
            load_court_reports(ctx.today, users["maria.alvarez"])
            load_worklist_items(ctx, users["tasha.green"], users["grace.kim"])
            load_referrals(ctx)
            load_safety(ctx)
            load_outcomes(partnership, users["grace.kim"])
            load_corrections(users["maria.alvarez"], users["denise.davis"])
            load_notes(users["maria.alvarez"], users["rosa.nguyen"], users["carl.fischer"], ctx.today)
            load_documents(users["rosa.nguyen"], users["carl.fischer"], ctx.today)
            load_departure(agencies, users, ctx.today)
            # Last, so the hearings of the imported extract are called at a time and in a courtroom too.
            load_docket(ctx.today, ctx.court)
    finally:
        current_context.reset(token)
    return DemoSummary(families_created=created, staff=[users[s.username] for s in STAFF])
