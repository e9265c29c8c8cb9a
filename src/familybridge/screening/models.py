"""Screening results, clinical assessments, the one-time links for a parent's own device, and the
partnership's screening settings (cut-offs, imported instruments, its urgent protocol)."""

from django.conf import settings
from django.db import models

from familybridge.consent.categories import Category
from familybridge.people.models import ProtectedRecord

DEFAULT_URGENT_PROTOCOL = (
    "Do not leave a child alone with a caregiver who appears intoxicated, in withdrawal or unable to care "
    "for the child. Call your supervisor now; if anyone is in immediate danger call 911. For thoughts of "
    "self-harm, stay with the person and call or text 988. Record what you observed and who you contacted."
)


class NextStep(models.TextChoices):
    """SAFERR's next step after a screen."""

    NONE = "none", "No further action from this screen"
    REFER = "refer", "Refer for a clinical assessment"
    URGENT = "urgent", "Follow the urgent protocol now"


class AdministrationMode(models.TextChoices):
    STAFF = "staff", "Asked by staff"
    PARENT_DEVICE = "parent_device", "Answered on the parent's own device"


class ScreeningResult(ProtectedRecord):
    """One administered screen: the FHIR QuestionnaireResponse with its computed score.

    Category screening.result, owned by the agency that screened; sud.assessment when that agency is
    a Part 2 program (set by the service that records it).
    """

    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="screening_results")
    instrument = models.CharField(max_length=64)
    instrument_title = models.CharField(max_length=200)
    instrument_version = models.CharField(max_length=40)
    administered_on = models.DateField()
    administered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    mode = models.CharField(max_length=20, choices=AdministrationMode.choices, default=AdministrationMode.STAFF)
    answers = models.JSONField(help_text="Canonical positional answers; null for items not asked.")
    total = models.IntegerField(null=True, blank=True)
    max_total = models.IntegerField(null=True, blank=True)
    band = models.CharField(max_length=40, blank=True)
    band_display = models.CharField(max_length=80, blank=True)
    positive = models.BooleanField()
    flags = models.JSONField(default=list)
    positive_items = models.JSONField(default=list)
    cutoffs_used = models.JSONField(default=dict, help_text="Each cut-off's value as applied to this screen.")
    sex = models.CharField(max_length=10, blank=True)
    variant = models.CharField(max_length=20, blank=True)
    observed_intoxication = models.BooleanField(default=False)
    observed_withdrawal = models.BooleanField(default=False)
    observed_impaired_functioning = models.BooleanField(default=False)
    observation_note = models.TextField(blank=True)
    next_step = models.CharField(max_length=10, choices=NextStep.choices)
    questionnaire_response = models.JSONField()

    class Meta(ProtectedRecord.Meta):
        ordering = ["-administered_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.instrument} for {self.subject} on {self.administered_on}"

    @property
    def observed(self) -> list[str]:
        labels = [
            (self.observed_intoxication, "intoxication"),
            (self.observed_withdrawal, "withdrawal"),
            (self.observed_impaired_functioning, "impaired functioning"),
        ]
        return [label for present, label in labels if present]


class SafetyFollowUp(ProtectedRecord):
    """What someone did about a safety flag (the urgent next step): who was contacted, when, and what was done.

    Held by the recorder's agency and derived from the screen (its provenance), so it is shown only to those
    who may see the screen too. A flag leaves the worklists once a follow-up its viewer may see is recorded.
    """

    result = models.ForeignKey(ScreeningResult, on_delete=models.PROTECT, related_name="follow_ups")
    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="safety_follow_ups")
    contacted = models.CharField("Who was contacted", max_length=300)
    contacted_at = models.DateTimeField("When")
    action = models.TextField("What was done")

    class Meta(ProtectedRecord.Meta):
        ordering = ["-contacted_at", "-pk"]
        constraints = [
            # One follow-up per flag and agency; a voided one (entered in error) makes room for its replacement.
            models.UniqueConstraint(
                fields=["result", "owner_agency"],
                condition=models.Q(voided_at=None),
                name="one_follow_up_per_agency",
                violation_error_message="Your agency has already recorded the follow-up of this flag.",
            )
        ]

    def __str__(self) -> str:
        return f"Follow-up of the safety flag on {self.result}"


class AsamLevel(models.TextChoices):
    NONE = "none", "No treatment indicated"
    L0_5 = "0.5", "0.5 Early intervention"
    L1 = "1", "1 Outpatient services"
    L2_1 = "2.1", "2.1 Intensive outpatient"
    L2_5 = "2.5", "2.5 Partial hospitalization"
    L3_1 = "3.1", "3.1 Clinically managed low-intensity residential"
    L3_3 = "3.3", "3.3 Clinically managed population-specific high-intensity residential"
    L3_5 = "3.5", "3.5 Clinically managed high-intensity residential"
    L3_7 = "3.7", "3.7 Medically monitored intensive inpatient"
    L4 = "4", "4 Medically managed intensive inpatient"
    OTP = "otp", "Opioid treatment program"


class ClinicalAssessment(ProtectedRecord):
    """A treatment professional's assessment: diagnosis, ASAM level of care, recommendations (Part 2)."""

    fixed_category = Category.SUD_ASSESSMENT

    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="clinical_assessments")
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    diagnosis = models.TextField(help_text="Diagnoses with their codes, e.g. 'F11.20 Opioid use disorder, moderate'.")
    asam_level = models.CharField("ASAM level of care", max_length=8, choices=AsamLevel.choices)
    recommendations = models.TextField()

    class Meta(ProtectedRecord.Meta):
        ordering = ["-assessed_on", "-created_at"]

    def __str__(self) -> str:
        return f"Assessment of {self.subject} on {self.assessed_on}"


class ScreeningInvitation(ProtectedRecord):
    """A one-time link through which a parent answers a self-report screen on their own device.

    Only the token's hash is stored; the link works once, until it expires.
    """

    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="screening_invitations")
    instrument = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    result = models.OneToOneField(ScreeningResult, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta(ProtectedRecord.Meta):
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.instrument} link for {self.subject}"


class PartnershipScreeningSettings(models.Model):
    """What a partnership has agreed about screening: its urgent protocol."""

    partnership = models.OneToOneField(
        "agencies.Partnership", on_delete=models.CASCADE, related_name="screening_settings"
    )
    urgent_protocol = models.TextField(default=DEFAULT_URGENT_PROTOCOL)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "partnership screening settings"

    def __str__(self) -> str:
        return f"Screening settings of {self.partnership}"


class CutoffSetting(models.Model):
    """A partnership's value for one of an instrument's configurable cut-offs."""

    partnership = models.ForeignKey("agencies.Partnership", on_delete=models.CASCADE, related_name="cutoff_settings")
    instrument = models.CharField(max_length=64)
    name = models.CharField(max_length=40)
    applies_to = models.CharField(max_length=20, help_text="default, female, male or older_adult")
    value = models.PositiveSmallIntegerField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "instrument", "name", "applies_to"], name="one_cutoff_setting_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.name} ({self.applies_to}) = {self.value}"


class ImportedInstrument(models.Model):
    """A Questionnaire a partnership imported: licensed item text, or an instrument of its own.

    The latest import of an instrument id replaces the built-in one for that partnership.
    """

    partnership = models.ForeignKey(
        "agencies.Partnership", on_delete=models.CASCADE, related_name="imported_instruments"
    )
    instrument = models.CharField(max_length=64)
    version = models.CharField(max_length=40)
    questionnaire = models.JSONField()
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "instrument", "version"], name="one_import_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.instrument} version {self.version}"
