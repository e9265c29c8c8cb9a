"""The partnership extract format (docs/reference/extract-format.md): its files, columns and codes.

One description that the importer validates against and the synthetic generator writes to.
"""

from dataclasses import dataclass

from familybridge.cases.models import (
    DischargeReason,
    Disposition,
    HearingType,
    SettingType,
    TedsDischargeReason,
)
from familybridge.people.models import MemberRole, Sex
from familybridge.referrals.models import ReferralSource

SYSTEMS = ("cw", "sud", "court")
SYSTEM_NAMES = {"cw": "Child Welfare", "sud": "Treatment Program", "court": "Family Court"}


@dataclass(frozen=True)
class ExtractFile:
    name: str
    columns: tuple[str, ...]


PEOPLE = ExtractFile("people.csv", ("system", "person_id", "first_name", "last_name", "birth_date", "sex", "zip"))
FAMILY_MEMBERS = ExtractFile("family_members.csv", ("family_id", "person_id", "role"))
CW_REPORTS = ExtractFile("cw_reports.csv", ("report_id", "child_id", "report_date", "disposition"))
CW_REMOVALS = ExtractFile(
    "cw_removals.csv", ("episode_id", "child_id", "removal_date", "discharge_date", "discharge_reason")
)
CW_PLACEMENTS = ExtractFile("cw_placements.csv", ("episode_id", "setting_start", "setting_end", "setting_type"))
SUD_REFERRALS = ExtractFile("sud_referrals.csv", ("referral_id", "person_id", "referral_date", "source"))
SUD_ADMISSIONS = ExtractFile(
    "sud_admissions.csv",
    ("episode_id", "person_id", "admission_date", "discharge_date", "discharge_reason", "level_of_care"),
)
COURT_HEARINGS = ExtractFile(
    "court_hearings.csv", ("hearing_id", "court_case_id", "child_id", "hearing_date", "hearing_type")
)
LINKS = ExtractFile("links.csv", ("system", "person_id", "linked_person_id"))

# In the order they are validated and written: each file only refers to files before it.
FILES = (
    PEOPLE,
    FAMILY_MEMBERS,
    CW_REPORTS,
    CW_REMOVALS,
    CW_PLACEMENTS,
    SUD_REFERRALS,
    SUD_ADMISSIONS,
    COURT_HEARINGS,
    LINKS,
)

SEXES = frozenset(Sex.values)
ROLES = frozenset(MemberRole.values)
DISPOSITIONS = frozenset(Disposition.values)
CW_DISCHARGE_REASONS = frozenset(DischargeReason.values)
SETTING_TYPES = frozenset(SettingType.values)
REFERRAL_SOURCES = frozenset(ReferralSource.values)
SUD_DISCHARGE_REASONS = frozenset(TedsDischargeReason.values)
HEARING_TYPES = frozenset(HearingType.values)
