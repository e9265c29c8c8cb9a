"""The partnership's own workspace: the Matrix of Progress, assessment rounds, action plans,
partner protocols, cross-training and governance. Nothing here is about a family or a person's
case, so none of it is a ProtectedRecord; who may manage what is enforced in `access.py`."""

import secrets
import uuid
from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from familybridge.agencies.models import Agency, Partnership, User
from familybridge.practice.elements import ELEMENT_CHOICES, Level, Standing

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Benchmark(models.Model):
    """A partnership's own wording of one Matrix of Progress level for one element."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="benchmarks")
    element = models.PositiveSmallIntegerField(choices=ELEMENT_CHOICES)
    level = models.CharField(max_length=12, choices=Level.choices)
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "element", "level"], name="unique_benchmark_level")
        ]
        ordering = ["element", "level"]

    def __str__(self) -> str:
        return f"{self.partnership}: element {self.element}, {self.level}"


class ElementStanding(models.Model):
    """Where the partnership places itself on the Matrix for one element, and what shows it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="element_standings")
    element = models.PositiveSmallIntegerField(choices=ELEMENT_CHOICES)
    standing = models.CharField(max_length=12, choices=Standing.choices, default=Standing.NOT_YET)
    evidence = models.TextField(blank=True)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "element"], name="unique_element_standing")]
        ordering = ["element"]

    def __str__(self) -> str:
        return f"{self.partnership}: element {self.element} {self.standing}"


class System(models.TextChoices):
    """The system a respondent works in; the only grouping an anonymous result is broken out by."""

    CHILD_WELFARE = "child_welfare", "Child welfare"
    TREATMENT = "treatment", "SUD treatment"
    COURT = "court", "Court"
    OTHER = "other", "Other partner"


SYSTEM_OF_AGENCY_KIND = {
    "child_welfare": System.CHILD_WELFARE,
    "sud_treatment": System.TREATMENT,
    "court": System.COURT,
}


class RespondentRole(models.TextChoices):
    FRONTLINE = "frontline", "Frontline practitioner (caseworker, counselor, peer specialist)"
    SUPERVISOR = "supervisor", "Supervisor"
    MANAGER = "manager", "Manager or administrator"
    LEGAL = "legal", "Judge, attorney or court staff"
    OTHER = "other", "Other"
    NOT_RECORDED = "not_recorded", "Not recorded"


AGREEMENT_SCALE = (
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
)


class Instrument(models.Model):
    """A questionnaire on the 5-point agreement scale: built in (no partnership) or a partnership's own."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="instruments"
    )
    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.partnership_id is None


class Item(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=40, help_text="The item id used in reports and CSV files.")
    text = models.TextField()
    element = models.PositiveSmallIntegerField(choices=ELEMENT_CHOICES, null=True, blank=True)
    theme = models.CharField(max_length=60, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="unique_item_code")]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"


def new_round_token() -> str:
    return secrets.token_urlsafe(18)


class RoundStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Answering(models.TextChoices):
    """How a round's link lets people answer: once per code handed out, or as often as anyone likes."""

    CODES = "codes", "Single-use codes: each code answers once"
    LINK = "link", "Open link: anyone with the link answers, as often as they like"


class AssessmentRound(models.Model):
    """One administration of an instrument to the partnership's staff, through one anonymous link."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="assessment_rounds")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="rounds")
    title = models.CharField(max_length=200)
    token = models.CharField(max_length=40, unique=True, default=new_round_token, editable=False)
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    answering = models.CharField(max_length=10, choices=Answering.choices, default=Answering.CODES)

    class Meta:
        ordering = ["-opened_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def uses_codes(self) -> bool:
        return self.answering == Answering.CODES


# No 0/O, 1/I/L: a code copied from paper is read back as it was printed.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def new_round_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class RoundCode(models.Model):
    """A single-use code for answering a round. It knows only its round, its batch and whether it was
    used: nothing points from an answer to the code that let it in, and no time is kept."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_round_code, editable=False)
    batch = models.PositiveSmallIntegerField()
    used = models.BooleanField(default=False)

    class Meta:
        ordering = ["batch", "pk"]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        """ABCD-EFGH-JKMN: grouped so it is easy to copy from a slip."""
        return "-".join(self.code[start : start + 4] for start in range(0, len(self.code), 4))


class RespondentSource(models.TextChoices):
    ONLINE = "online", "Answered online"
    IMPORTED = "imported", "Imported from paper or another survey"


class Respondent(models.Model):
    """One anonymous set of answers. Deliberately no account, address or time: only system and role.

    The random primary key keeps even the order of answering out of the row; rows are written
    without signals, so the audit log holds no per-respondent event either.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="respondents")
    system = models.CharField(max_length=20, choices=System.choices)
    role = models.CharField(max_length=20, choices=RespondentRole.choices, default=RespondentRole.NOT_RECORDED)
    source = models.CharField(max_length=10, choices=RespondentSource.choices, default=RespondentSource.ONLINE)

    def __str__(self) -> str:
        return f"{self.get_system_display()} respondent"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(validators=SCORE_VALIDATORS)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["respondent", "item"], name="unique_answer_per_item")]

    def __str__(self) -> str:
        return f"{self.item.code}={self.score}"


class ObjectiveStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    UNDER_WAY = "under_way", "Under way"
    ACHIEVED = "achieved", "Achieved"
    DROPPED = "dropped", "Dropped"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    BLOCKED = "blocked", "Blocked"
    DONE = "done", "Done"


class ActionPlan(models.Model):
    """A plan of action (the SAFERR pattern): objectives tied to elements, each with tasks."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="action_plans")
    title = models.CharField(max_length=200)
    based_on_round = models.ForeignKey(
        AssessmentRound, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_plans"
    )
    created_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-created_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Objective(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField()
    elements = models.JSONField(default=list, help_text="The element ids (1–10) this objective advances.")
    indicator = models.CharField(max_length=300, help_text="What will show progress.")
    status = models.CharField(max_length=12, choices=ObjectiveStatus.choices, default=ObjectiveStatus.PLANNED)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class Task(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="tasks")
    text = models.CharField(max_length=300)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="practice_tasks")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text

    def is_overdue(self, today: date) -> bool:
        return self.due_on is not None and self.due_on < today and self.status != TaskStatus.DONE


class ProtocolTopic(models.TextChoices):
    REFERRAL = "referral", "How a referral is handled"
    TIMELINES = "timelines", "Timelines"
    CONTACTS = "contacts", "Who to call"
    CONFIDENTIALITY = "confidentiality", "Confidentiality rules"
    OTHER = "other", "Other"


class Protocol(models.Model):
    """How one agency works, published for its partners; the text lives in numbered versions."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="protocols")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="protocols")
    topic = models.CharField(max_length=20, choices=ProtocolTopic.choices)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["agency__name", "title"]
        constraints = [models.UniqueConstraint(fields=["partnership", "agency", "title"], name="unique_protocol_title")]

    def __str__(self) -> str:
        return f"{self.agency}: {self.title}"


class ProtocolVersion(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    body = models.TextField()
    change_note = models.CharField(max_length=300, blank=True)
    published_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    published_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["protocol", "-number"]
        constraints = [models.UniqueConstraint(fields=["protocol", "number"], name="unique_protocol_version")]

    def __str__(self) -> str:
        return f"{self.protocol} v{self.number}"


class Acknowledgement(models.Model):
    """A staff member of another agency confirms reading one version of a protocol."""

    version = models.ForeignKey(ProtocolVersion, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="protocol_acknowledgements")
    acknowledged_on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="unique_acknowledgement")]

    def __str__(self) -> str:
        return f"{self.user} read {self.version}"


class CourseKind(models.TextChoices):
    NCSACW_TUTORIAL = "ncsacw_tutorial", "NCSACW online tutorial"
    NCSACW_TOOLKIT = "ncsacw_toolkit", "NCSACW Child Welfare Training Toolkit module"
    LOCAL = "local", "Local curriculum"


class Course(models.Model):
    """A cross-training course: NCSACW's (no partnership) or a partnership's own curriculum."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="courses"
    )
    code = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=CourseKind.choices)
    title = models.CharField(max_length=200)
    audience = models.CharField(
        max_length=20, choices=System.choices, blank=True, help_text="The system whose staff it is written for."
    )
    hours = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.title


class Completion(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="completions")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="training_completions")
    completed_on = models.DateField()

    class Meta:
        ordering = ["-completed_on"]
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="unique_course_completion")]

    def __str__(self) -> str:
        return f"{self.user} completed {self.course}"


class CommitteeKind(models.TextChoices):
    OVERSIGHT = "oversight", "Oversight committee"
    STEERING = "steering", "Steering committee"
    SUBCOMMITTEE = "subcommittee", "Subcommittee"


class Committee(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="committees")
    kind = models.CharField(max_length=20, choices=CommitteeKind.choices)
    name = models.CharField(max_length=200)
    charge = models.TextField(blank=True, help_text="What the committee is for.")
    reports_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children")

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="committee_memberships")
    is_chair = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["committee", "user"], name="unique_committee_member")]

    def __str__(self) -> str:
        return f"{self.user} on {self.committee}"


class Meeting(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.committee} on {self.held_on}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    element = models.PositiveSmallIntegerField(choices=ELEMENT_CHOICES, null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text
