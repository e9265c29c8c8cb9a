from django.conf import settings
from django.db import models

from familybridge.agencies.roles import Purpose
from familybridge.consent.categories import Category
from familybridge.dates import us_date
from familybridge.people.models import ProtectedRecord


class CourtReport(ProtectedRecord):
    """A report an agency writes to the court for a hearing: the author's narrative and recommendations and the
    sections compiled through the policy point.

    A draft is the author's agency's until the author signs it off and files it. Filing freezes it: the court
    then holds it, with each compiled line kept as a `FiledPart`, the HTML and PDF exactly as filed, and the
    SHA-256 hash of that HTML. A filed report never changes; an amended version is a new report that `amends`
    it. Reports filed before filing froze them (`content_hash` empty) kept no copy of their content.
    """

    fixed_category = Category.COURT_CASE

    hearing = models.ForeignKey("cases.Hearing", on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="court_reports")
    purpose = models.CharField(max_length=40)
    narrative = models.TextField(blank=True, default="", help_text="The author's account for the court.")
    recommendations = models.TextField(blank=True, default="")
    version = models.PositiveSmallIntegerField(default=1)
    amends = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendments")
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    included = models.JSONField(default=list, help_text="model label:primary key of each record included.")
    sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was filed with the court; empty while a draft."
    )
    filed_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The judge or court coordinator whose view of the records was filed.",
    )
    filed_sections = models.JSONField(
        default=list, blank=True, help_text="Each section as filed: key, title, number of parts, Part 2 or not."
    )
    filed_html = models.TextField(blank=True, default="")
    filed_pdf = models.BinaryField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, default="", help_text="SHA-256 of filed_html.")
    pdf_hash = models.CharField(max_length=64, blank=True, default="", help_text="SHA-256 of filed_pdf.")

    class Meta(ProtectedRecord.Meta):
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        version = f" (version {self.version})" if self.version > 1 else ""
        return f"Report for {self.hearing.get_hearing_type_display()} on {us_date(self.hearing.hearing_date)}{version}"

    @property
    def is_filed(self) -> bool:
        return self.sent_at is not None

    @property
    def purpose_label(self) -> str:
        return Purpose(self.purpose).label if self.purpose in Purpose.values else self.purpose

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


class FiledPart(ProtectedRecord):
    """One line of a filed report's compiled sections, exactly as it was filed: the court's copy of what one
    record said (or, for attendance, a person's sessions at one program).

    It carries its source record's owner, category and subject, and is derived from it, so a later reader sees
    it only as far as they may see the source now: a revoked consent withholds it from then on, while the
    filed copy and its hash stay as they were.
    """

    ENTRY, ATTENDANCE = "entry", "attendance"

    report = models.ForeignKey(CourtReport, on_delete=models.CASCADE, related_name="parts")
    section = models.CharField(max_length=40)
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=[(ENTRY, "Entry"), (ATTENDANCE, "Attendance")], default=ENTRY)
    day = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=200, blank=True, default="")
    person = models.CharField(max_length=200, blank=True, default="")
    detail = models.TextField(blank=True, default="")

    class Meta(ProtectedRecord.Meta):
        ordering = ["report", "position"]
        constraints = [models.UniqueConstraint(fields=["report", "position"], name="one_filed_part_per_position")]

    def __str__(self) -> str:
        return f"{self.title or 'Attendance'} — {self.person}"
