"""Demo safety flags: for the demo caseworker, a flag raised two days ago and still awaiting its follow-up
(overdue on her worklist and her supervisor's), and a mother's EPDS answered on her own phone through a
one-time link, already followed up. The flags of the older demo screens were followed up at the visit.
Loading twice adds nothing."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.agencies.roles import Purpose
from familybridge.consent import policy
from familybridge.demo.families import DemoContext
from familybridge.messaging.models import Notification
from familybridge.people.models import FamilyMember, MemberRole, Sex
from familybridge.people.selectors import caseload_families
from familybridge.screening import services
from familybridge.screening.models import NextStep, SafetyFollowUp, ScreeningResult

PLANNING = Purpose.CASE_PLANNING
# EPDS item 10 ("the thought of harming myself has occurred to me") answered "hardly ever": a safety flag.
EPDS_WITH_SAFETY_FLAG = [1, 1, 2, 1, 2, 2, 2, 2, 2, 2]


def load_safety(ctx: DemoContext) -> None:
    caseworker, supervisor = ctx.caseworkers[0], ctx.supervisor
    if policy.permitted(supervisor, SafetyFollowUp.objects.all(), PLANNING).exists():
        return
    families = list(caseload_families(caseworker, ctx.today).filter(closed_on=None).order_by("pk"))
    flagged = policy.permitted(supervisor, ScreeningResult.objects.filter(next_step=NextStep.URGENT), PLANNING)
    awaiting = flagged.filter(family__in=families).order_by("-administered_on", "-pk").first()
    followed_up = list(flagged.exclude(pk=awaiting.pk if awaiting else None))
    for result in followed_up:
        services.record_follow_up(
            supervisor,
            result,
            purpose=PLANNING,
            contacted="The parent, in person at the visit",
            contacted_at=_at(result.administered_on, time(11)),
            action="Followed the urgent protocol at the visit and made a safety plan with the parent.",
        )
    # The alerts of the flags followed up at the visit were read then; the demo's unread ones are the live flags.
    alerts = [f"safety-flag:{result.pk}" for result in followed_up]
    Notification.objects.filter(dedupe_key__in=alerts, read_at=None).update(read_at=timezone.now())
    if awaiting is not None:
        # Recorded on the day it was raised: by now well past its 24 hours.
        ScreeningResult.objects.filter(pk=awaiting.pk).update(created_at=_at(awaiting.administered_on, time(9, 30)))
    if len(families) > 1:
        _followed_up_from_the_parents_phone(caseworker, families[1])


def _followed_up_from_the_parents_phone(caseworker: User, family) -> None:
    parents = FamilyMember.objects.filter(family=family, role=MemberRole.PARENT).select_related("subject")
    members = list(policy.permitted(caseworker, parents, PLANNING))
    if not members:
        return
    mother = next((m.subject for m in members if m.subject.sex == Sex.FEMALE), members[0].subject)
    _, token = services.create_invitation(
        caseworker, family=family, subject=mother, instrument_id="EPDS", purpose=PLANNING
    )
    result = services.complete_invitation(token, EPDS_WITH_SAFETY_FLAG)
    services.record_follow_up(
        caseworker,
        result,
        purpose=PLANNING,
        contacted=f"{mother}, by phone; then her sister",
        contacted_at=timezone.now(),
        action="Called her within the hour, went through the 988 Lifeline together and agreed a safety plan; "
        "home visit tomorrow.",
    )


def _at(day, moment: time) -> datetime:
    return min(timezone.make_aware(datetime.combine(day, moment)), timezone.now() - timedelta(minutes=1))
