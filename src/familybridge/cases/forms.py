"""One form per kind of record staff add from the family page; services.py holds the rules they submit to."""

from datetime import date

from django import forms
from django.http import QueryDict
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.cases import models as m
from familybridge.cases import selectors, services
from familybridge.cases.services import RecordKind
from familybridge.dates import us_date
from familybridge.people.models import Family, MemberRole, ProtectedRecord, record_label


def _day(day: date) -> str:
    return us_date(day)


class EpisodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, episode) -> str:
        if isinstance(episode, m.TreatmentEpisode):
            return f"{episode.subject}, admitted {_day(episode.admission_date)}"
        return f"{episode.subject}, removed {_day(episode.removal_date)}"


class CourtCaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, court_case) -> str:
        return f"Case {court_case.docket_number} about {court_case.subject}"


class RecordFormMixin:
    """Dates as date pickers starting at today, and the choices limited to what the user may write about."""

    def __init__(self, *args, user, family: Family, purpose: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                if field.required and name not in self.initial:
                    self.initial[name] = timezone.localdate()
        self.limit_choices(user, family, purpose)

    def limit_choices(self, user, family: Family, purpose: str) -> None:
        raise NotImplementedError


# Child welfare


class ReportForm(RecordFormMixin, forms.ModelForm):
    class Meta:
        model = m.ChildWelfareReport
        fields = ["subject", "report_date", "disposition", "summary"]
        labels = {"subject": "Child", "report_date": "Date of the report", "disposition": "Finding"}
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def limit_choices(self, user, family, purpose):
        self.fields["subject"].queryset = selectors.recordable_members(user, family, purpose, MemberRole.CHILD)


class RemovalForm(RecordFormMixin, forms.ModelForm):
    class Meta:
        model = m.RemovalEpisode
        fields = ["subject", "removal_date"]
        labels = {"subject": "Child", "removal_date": "Date of removal"}

    def limit_choices(self, user, family, purpose):
        self.fields["subject"].queryset = selectors.recordable_members(user, family, purpose, MemberRole.CHILD)


class RemovalDischargeForm(RecordFormMixin, forms.Form):
    episode = EpisodeChoiceField(queryset=m.RemovalEpisode.objects.none(), label="Child in care")
    discharge_date = forms.DateField(label="Date the child left care")
    discharge_reason = forms.ChoiceField(label="Reason", choices=[("", "Choose"), *m.DischargeReason.choices])

    def limit_choices(self, user, family, purpose):
        self.fields["episode"].queryset = selectors.own_removal_episodes(user, family, purpose, open_only=True)


class PlacementForm(RecordFormMixin, forms.ModelForm):
    episode = EpisodeChoiceField(queryset=m.RemovalEpisode.objects.none(), label="Child in care")

    class Meta:
        model = m.PlacementSetting
        fields = ["episode", "setting_type", "setting_start", "setting_end"]
        labels = {"setting_type": "Setting", "setting_start": "From", "setting_end": "Until (if already ended)"}
        help_texts = {"setting_start": "The child's previous placement, if still open, ends on this day."}

    def limit_choices(self, user, family, purpose):
        self.fields["episode"].queryset = selectors.own_removal_episodes(user, family, purpose)


class PermanencyPlanForm(RecordFormMixin, forms.ModelForm):
    class Meta:
        model = m.PermanencyPlan
        fields = ["subject", "goal", "concurrent_goal", "tpr_exception", "exception_note", "set_on"]
        labels = {
            "subject": "Child",
            "goal": "Permanency goal",
            "concurrent_goal": "Concurrent goal",
            "tpr_exception": "Exception to filing for termination (ASFA)",
            "exception_note": "What supports the exception",
            "set_on": "Goal set on",
        }
        widgets = {"exception_note": forms.Textarea(attrs={"rows": 3})}

    def limit_choices(self, user, family, purpose):
        self.fields["subject"].queryset = selectors.recordable_members(user, family, purpose, MemberRole.CHILD)


class CasePlanServiceForm(RecordFormMixin, forms.ModelForm):
    class Meta:
        model = m.CasePlanService
        fields = ["subject", "service", "provider_name", "status", "start_date", "end_date"]
        labels = {"subject": "For", "provider_name": "Provider", "start_date": "Starts", "end_date": "Ends"}

    def limit_choices(self, user, family, purpose):
        self.fields["subject"].queryset = selectors.recordable_members(user, family, purpose)


class VisitForm(RecordFormMixin, forms.ModelForm):
    class Meta:
        model = m.Visitation
        fields = ["subject", "parent", "visit_date", "attended", "supervised", "note"]
        labels = {
            "subject": "Child",
            "parent": "Parent",
            "visit_date": "Date of the visit",
            "attended": "The parent attended",
            "supervised": "Supervised",
        }

    def limit_choices(self, user, family, purpose):
        self.fields["subject"].queryset = selectors.recordable_members(user, family, purpose, MemberRole.CHILD)
        self.fields["parent"].queryset = selectors.recordable_members(user, family, purpose, MemberRole.PARENT)


# Treatment (Part 2)


class AdmissionForm(RecordFormMixin, forms.ModelForm):
    class Meta:
        model = m.TreatmentEpisode
        fields = ["subject", "admission_date", "level_of_care"]
        labels = {"subject": "Parent", "admission_date": "Date of admission", "level_of_care": "ASAM level of care"}

    def limit_choices(self, user, family, purpose):
        self.fields["subject"].queryset = selectors.recordable_members(user, family, purpose, MemberRole.PARENT)


class TreatmentRecordForm(RecordFormMixin, forms.ModelForm):
    """A record that hangs on one of the program's open episodes with a parent of the family."""

    episode = EpisodeChoiceField(queryset=m.TreatmentEpisode.objects.none(), label="Treatment episode")

    def limit_choices(self, user, family, purpose):
        self.fields["episode"].queryset = selectors.own_treatment_episodes(user, family, purpose)


class AttendanceForm(TreatmentRecordForm):
    class Meta:
        model = m.Attendance
        fields = ["episode", "session_date", "session_kind", "status"]
        labels = {"session_date": "Session date", "session_kind": "Kind of session", "status": "Attendance"}


class ToxicologyForm(TreatmentRecordForm):
    class Meta:
        model = m.ToxicologyResult
        fields = ["episode", "collected_on", "outcome", "substances"]
        labels = {"collected_on": "Collected on", "outcome": "Result"}


class TreatmentPlanForm(TreatmentRecordForm):
    class Meta:
        model = m.TreatmentPlan
        fields = ["episode", "written_on", "goals", "services", "moud"]
        labels = {"written_on": "Written on", "moud": "Medication for opioid use disorder"}
        widgets = {"goals": forms.Textarea(attrs={"rows": 3}), "services": forms.Textarea(attrs={"rows": 3})}


class ProgressSummaryForm(TreatmentRecordForm):
    class Meta:
        model = m.ProgressSummary
        fields = ["episode", "period_start", "period_end", "summary", "recommendations"]
        labels = {"period_start": "Period from", "period_end": "Period to"}
        widgets = {"summary": forms.Textarea(attrs={"rows": 4}), "recommendations": forms.Textarea(attrs={"rows": 3})}


class TreatmentDischargeForm(RecordFormMixin, forms.Form):
    episode = EpisodeChoiceField(queryset=m.TreatmentEpisode.objects.none(), label="Treatment episode")
    discharge_date = forms.DateField(label="Date of discharge")
    discharge_reason = forms.ChoiceField(
        label="Reason (TEDS)", choices=[("", "Choose"), *m.TedsDischargeReason.choices]
    )
    recommendations = forms.CharField(label="Recommendations", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def limit_choices(self, user, family, purpose):
        self.fields["episode"].queryset = selectors.own_treatment_episodes(user, family, purpose, open_only=True)


# Court


class CourtRecordForm(RecordFormMixin, forms.ModelForm):
    court_case = CourtCaseChoiceField(queryset=m.CourtCase.objects.none(), label="Court case")
    ftc_only = False

    def limit_choices(self, user, family, purpose):
        self.fields["court_case"].queryset = selectors.own_court_cases(user, family, purpose, ftc_only=self.ftc_only)
        if "subject" in self.fields:
            self.fields["subject"].queryset = selectors.recordable_members(user, family, purpose, MemberRole.PARENT)


class CourtCaseForm(RecordFormMixin, forms.ModelForm):
    class Meta:
        model = m.CourtCase
        fields = ["subject", "docket_number", "filed_on", "is_family_treatment_court"]
        labels = {
            "subject": "Child",
            "docket_number": "Case number",
            "filed_on": "Petition filed on",
            "is_family_treatment_court": "In the family treatment court",
        }

    judge = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Judge", help_text="The case goes on this judge's docket."
    )

    def limit_choices(self, user, family, purpose):
        self.fields["subject"].queryset = selectors.recordable_members(user, family, purpose, MemberRole.CHILD)
        self.fields["filed_on"].required = True
        self.fields["judge"].queryset = services.judges_of(user.agency_id)


class HearingForm(CourtRecordForm):
    class Meta:
        model = m.Hearing
        fields = ["court_case", "hearing_type", "hearing_date", "hearing_time", "courtroom"]
        labels = {"hearing_type": "Hearing", "hearing_date": "Date", "hearing_time": "Time", "courtroom": "Courtroom"}
        help_texts = {
            "hearing_date": "A hearing may be set for a future date.",
            "hearing_time": "When the case is called, such as 9:30. Leave blank if not set yet.",
            "courtroom": "Such as Courtroom 2B.",
        }
        widgets = {"hearing_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class CourtOrderForm(CourtRecordForm):
    class Meta:
        model = m.CourtOrder
        fields = ["court_case", "order_type", "order_date", "summary"]
        labels = {"order_type": "Order", "order_date": "Date of the order"}
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class FtcPhaseForm(CourtRecordForm):
    ftc_only = True

    class Meta:
        model = m.FtcPhase
        fields = ["court_case", "subject", "phase", "started_on"]
        labels = {"subject": "Parent", "started_on": "Started on"}


def _treatment_record_label(record) -> str:
    match record:
        case m.ToxicologyResult():
            what = f"drug test {_day(record.collected_on)}, {record.get_outcome_display().lower()}"
        case m.Attendance():
            what = f"{record.session_kind} session {_day(record.session_date)}, {record.get_status_display().lower()}"
        case _:
            what = f"treatment since {_day(record.admission_date)}"
    return f"{record.subject}: {what} ({record.owner_agency.name})"


class FtcResponseForm(CourtRecordForm):
    """A response names the test result, session or treatment episode it answers: it is Part 2 like that record."""

    ftc_only = True
    field_order = ["court_case", "subject", "responds_to", "kind", "response_date", "description"]
    responds_to = forms.ChoiceField(
        label="Responds to",
        help_text="The test result, session or treatment episode this response is about.",
    )

    class Meta:
        model = m.FtcResponse
        fields = ["court_case", "subject", "kind", "response_date", "description"]
        labels = {"subject": "Parent", "kind": "Response", "response_date": "Date"}

    def limit_choices(self, user, family, purpose):
        super().limit_choices(user, family, purpose)
        self.sources = {record_label(r): r for r in selectors.ftc_response_sources(user, family, purpose)}
        self.fields["responds_to"].choices = [
            ("", "Choose"),
            *((k, _treatment_record_label(r)) for k, r in self.sources.items()),
        ]

    def clean_responds_to(self):
        return self.sources[self.cleaned_data["responds_to"]]


FORM_BY_KIND: dict[str, type[forms.BaseForm]] = {
    "report": ReportForm,
    "removal": RemovalForm,
    "placement": PlacementForm,
    "removal-discharge": RemovalDischargeForm,
    "permanency-plan": PermanencyPlanForm,
    "case-plan-service": CasePlanServiceForm,
    "visit": VisitForm,
    "admission": AdmissionForm,
    "attendance": AttendanceForm,
    "toxicology": ToxicologyForm,
    "treatment-plan": TreatmentPlanForm,
    "progress-summary": ProgressSummaryForm,
    "discharge": TreatmentDischargeForm,
    "court-case": CourtCaseForm,
    "hearing": HearingForm,
    "order": CourtOrderForm,
    "ftc-phase": FtcPhaseForm,
    "ftc-response": FtcResponseForm,
}


# Correcting the record: the form of a correction is the kind's editable fields, as the kind's own form labels them.


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label="Why is it corrected?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the record's history with your name and the values before.",
    )


class VoidForm(forms.Form):
    reason = forms.CharField(
        label="Why was it entered in error?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the record's history with your name.",
    )


def correction_form(
    kind: RecordKind, record: ProtectedRecord, data: QueryDict | None = None, *, user: User | None = None
) -> forms.Form:
    """The record's editable fields prefilled with its values, and the reason; choices the kind narrows for a
    writer (`field_choices`) are narrowed for the user correcting it."""
    names = kind.correctable_fields(record)
    create_form = FORM_BY_KIND.get(kind.slug)
    labels = getattr(getattr(create_form, "_meta", None), "labels", None) or {}
    fields = forms.fields_for_model(kind.model, fields=names, labels=labels)
    for field in fields.values():
        if isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        elif isinstance(field, forms.DateTimeField):
            field.widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        elif isinstance(field.widget, forms.Textarea):
            field.widget.attrs["rows"] = 3
    if kind.field_choices is not None and user is not None:
        for name, choices in kind.field_choices(user).items():
            if name in fields:
                fields[name].choices = choices
    form_class = type("KindCorrectionForm", (CorrectionForm,), {**fields, "field_order": [*names, "reason"]})
    return form_class(data, initial=forms.model_to_dict(record, names))
