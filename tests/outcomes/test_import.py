"""Importing an extract: validation before writing, idempotence, the crosswalk, agencies, one audit event."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.utils.timezone import now

from familybridge.agencies.models import Agency, Partnership
from familybridge.audit.integrity import verify_chain
from familybridge.audit.models import AuditEvent
from familybridge.cases.models import ChildWelfareReport, CourtCase, PlacementSetting, RemovalEpisode, TreatmentEpisode
from familybridge.consent.categories import Category
from familybridge.outcomes import bulk
from familybridge.outcomes.importing import ExtractInvalid, import_extract
from familybridge.people.models import Family, FamilyMember, LocalIdentifier, Person
from familybridge.referrals.models import Referral
from tests.outcomes.extracts import children, write_extract

FAMILY = {
    "people": [
        *children(("P1", "1990-03-04"), ("K1", "2016-05-06")),
        ("sud", "S1", "Pat", "Test", "1990-03-04", "F", "55401"),
        ("court", "J1", "K1", "Test", "2016-05-06", "U", ""),
    ],
    "family_members": [("F1", "P1", "parent"), ("F1", "K1", "child")],
    "cw_reports": [("R1", "K1", "2021-01-02", "substantiated")],
    "cw_removals": [("E1", "K1", "2021-01-03", "", "")],
    "cw_placements": [("E1", "2021-01-03", "", "foster")],
    "sud_referrals": [("Q1", "S1", "2021-01-10", "child_welfare")],
    "sud_admissions": [("A1", "S1", "2021-01-20", "", "", "2.1")],
    "court_hearings": [("H1", "D1", "J1", "2021-01-05", "shelter"), ("H2", "D1", "J1", "2021-02-05", "ftc")],
    "links": [("sud", "S1", "P1"), ("court", "J1", "K1")],
}


def table_counts() -> tuple[int, ...]:
    models = (Person, LocalIdentifier, Family, FamilyMember, RemovalEpisode, PlacementSetting, Referral)
    return tuple(model._base_manager.count() for model in (*models, TreatmentEpisode))


def test_an_extract_loads_into_the_app_tables_owned_by_agencies_named_after_the_partnership(db, tmp_path):
    summary = import_extract(write_extract(tmp_path / "x", **FAMILY), partnership_slug="river-county")
    partnership = Partnership.objects.get(slug="river-county")
    agencies = {a.slug: a for a in partnership.agencies.all()}
    assert set(agencies) == {"river-county-cw", "river-county-sud", "river-county-court"}
    assert agencies["river-county-sud"].name == "River County Treatment Program"
    assert agencies["river-county-sud"].is_part2_program and agencies["river-county-sud"].kind == "sud_treatment"
    assert not agencies["river-county-cw"].is_part2_program

    # The crosswalk makes the treatment client and the court's child the same people as child welfare's.
    assert Person.objects.count() == 2
    parent = LocalIdentifier.unrestricted.get(identifier="P1").subject
    assert LocalIdentifier.unrestricted.get(identifier="S1").subject == parent
    admission = TreatmentEpisode.unrestricted.get()
    assert (admission.subject, admission.owner_agency.slug, admission.category) == (
        parent,
        "river-county-sud",
        Category.SUD_ENROLLMENT,
    )
    referral = Referral.unrestricted.get()
    assert referral.referring_agency.slug == "river-county-cw"
    removal = RemovalEpisode.unrestricted.get()
    assert removal.family == Family.objects.get(case_number="F1")
    assert removal.category == Category.CW_PLACEMENT and removal.discharge_date is None
    assert Family.objects.get().name == "Test family"
    assert Family.objects.get().opened_on == date(2021, 1, 2)
    court_case = CourtCase.unrestricted.get()
    assert (court_case.subject, court_case.family, court_case.docket_number) == (removal.subject, removal.family, "D1")
    assert court_case.is_family_treatment_court and court_case.filed_on == date(2021, 1, 5)
    assert summary.rows_read == 15 and summary.rows_written == 15 and summary.rows_rejected == 0


def test_reimporting_changes_nothing_and_a_later_extract_updates_what_changed(db, tmp_path):
    folder = write_extract(tmp_path / "x", **FAMILY)
    import_extract(folder, partnership_slug="p")
    before = table_counts()
    again = import_extract(folder, partnership_slug="p")
    assert table_counts() == before
    assert again.rows_written == 0 and again.files["cw_removals.csv"].unchanged == 1

    later = write_extract(
        tmp_path / "later",
        **{**FAMILY, "cw_removals": [("E1", "K1", "2021-01-03", "2021-06-30", "reunification")]},
    )
    summary = import_extract(later, partnership_slug="p")
    assert table_counts() == before
    assert summary.files["cw_removals.csv"].updated == 1
    assert RemovalEpisode.unrestricted.get().discharge_date == date(2021, 6, 30)


def test_without_links_people_stay_per_system(db, tmp_path):
    files = {key: rows for key, rows in FAMILY.items() if key != "links"}
    import_extract(write_extract(tmp_path / "x", **files), partnership_slug="p")
    assert Person.objects.count() == 4
    assert TreatmentEpisode.unrestricted.get().subject != LocalIdentifier.unrestricted.get(identifier="P1").subject


def test_links_arriving_later_join_the_people_already_imported(db, tmp_path):
    files = {key: rows for key, rows in FAMILY.items() if key != "links"}
    import_extract(write_extract(tmp_path / "x", **files), partnership_slug="p")
    import_extract(write_extract(tmp_path / "y", **FAMILY), partnership_slug="p")
    parent = LocalIdentifier.unrestricted.get(identifier="P1").subject
    assert TreatmentEpisode.unrestricted.get().subject == parent
    assert Referral.unrestricted.get().subject == parent
    # The treatment client and the court's child, once separate people, had nothing left: they are gone.
    assert Person.objects.count() == 2


def test_a_person_merged_by_a_later_link_stays_while_something_else_refers_to_them(db, tmp_path, agencies):
    files = {key: rows for key, rows in FAMILY.items() if key != "links"}
    import_extract(write_extract(tmp_path / "x", **files), partnership_slug="p")
    client = LocalIdentifier.unrestricted.get(identifier="S1").subject
    Family.objects.create(
        name="Their own family", owner_agency=agencies["cw"], opened_on=date(2020, 1, 1)
    ).members.create(subject=client, owner_agency=agencies["cw"], role="parent")
    import_extract(write_extract(tmp_path / "y", **FAMILY), partnership_slug="p")
    assert Person.objects.filter(pk=client.pk).exists()
    assert Person.objects.count() == 3


def test_every_bad_row_is_reported_with_file_line_column_and_reason_and_nothing_is_written(db, tmp_path):
    folder = write_extract(
        tmp_path / "bad",
        **{
            **FAMILY,
            "cw_removals": [
                ("E1", "K1", "2021-01-03", "2020-12-01", "reunification"),  # discharge before removal
                ("E2", "NOBODY", "2021-13-01", "", ""),
            ],
            "cw_reports": [("R1", "K1", "2015-01-01", "maybe")],  # before birth; unknown disposition
        },
    )
    with pytest.raises(ExtractInvalid) as raised:
        import_extract(folder, partnership_slug="p")
    found = {(e.file, e.line, e.column) for e in raised.value.errors}
    assert {
        ("cw_removals.csv", 2, "discharge_date"),
        ("cw_removals.csv", 3, "child_id"),
        ("cw_removals.csv", 3, "removal_date"),
        ("cw_reports.csv", 2, "report_date"),
        ("cw_reports.csv", 2, "disposition"),
        # The placement refers to a rejected episode.
        ("cw_placements.csv", 2, "episode_id"),
    } <= found
    reasons = {str(e) for e in raised.value.errors}
    assert "cw_removals.csv, line 2, column discharge_date: 2020-12-01 is before the removal date 2021-01-03" in reasons
    assert Person.objects.count() == 0 and not Partnership.objects.filter(slug="p").exists()


def test_unknown_columns_are_an_error(db, tmp_path):
    folder = write_extract(tmp_path / "x", people=children(("K1", "2016-05-06")))
    (folder / "cw_reports.csv").write_text(
        "report_id,child_id,report_date,disposition,notes\nR1,K1,2021-01-01,other,x\n"
    )
    with pytest.raises(ExtractInvalid) as raised:
        import_extract(folder, partnership_slug="p")
    assert [str(e) for e in raised.value.errors] == ["cw_reports.csv, line 1, column notes: unknown column"]


def test_with_rejects_good_rows_are_written_and_bad_rows_set_aside_beside_a_report(db, tmp_path):
    folder = write_extract(
        tmp_path / "x",
        people=children(("K1", "2016-05-06"), ("K2", "2017-01-01")),
        cw_removals=[("E1", "K1", "2021-01-03", "", ""), ("E2", "K2", "2021-01-03", "", "adoption")],
    )
    summary = import_extract(folder, partnership_slug="p", rejects=tmp_path / "rejects")
    assert RemovalEpisode.unrestricted.get().source_id == "E1"
    assert summary.files["cw_removals.csv"].rejected == 1
    assert (tmp_path / "rejects" / "cw_removals.csv").read_text().splitlines() == [
        "episode_id,child_id,removal_date,discharge_date,discharge_reason",
        "E2,K2,2021-01-03,,adoption",
    ]
    report = (tmp_path / "rejects" / "report.csv").read_text().splitlines()
    assert report[1] == "cw_removals.csv,3,discharge_reason,must be empty while there is no discharge_date"


def test_existing_agencies_may_be_named_and_one_audit_event_records_the_run(db, agencies, tmp_path):
    events_before = AuditEvent.objects.count()
    call_command(
        "import", "extract", str(write_extract(tmp_path / "x", **FAMILY)),
        "--partnership", "test", "--agency", "cw=cw", "--agency", "sud=hope", "--agency", "court=court",
    )  # fmt: skip
    assert RemovalEpisode.unrestricted.get().owner_agency == agencies["cw"]
    assert TreatmentEpisode.unrestricted.get().owner_agency == agencies["sud"]
    assert Agency.objects.count() == 4
    events = AuditEvent.objects.filter(sequence__gt=events_before)
    assert [e.action for e in events] == ["import_extract"]
    assert events[0].details["rows_written"] == 15
    assert verify_chain().intact


def test_an_agency_of_the_wrong_kind_is_refused(db, agencies, tmp_path):
    with pytest.raises(CommandError, match="not Child welfare"):
        call_command("import", "extract", str(write_extract(tmp_path / "x", **FAMILY)), "--agency", "cw=court")


def test_a_synthetic_extract_imports_cleanly(db, tmp_path, capsys):
    call_command("synth", str(tmp_path / "syn"), "--families", "60", "--seed", "7", "--through", "2024-12-31")
    call_command("import", "extract", str(tmp_path / "syn"), "--partnership", "syn")
    output = capsys.readouterr().out
    assert "0 rejected" in output
    assert RemovalEpisode.unrestricted.exists() and TreatmentEpisode.unrestricted.exists()
    assert LocalIdentifier.unrestricted.filter(owner_agency__slug="syn-sud").exists()


def test_names_with_tabs_backslashes_and_line_breaks_arrive_as_written(db, tmp_path):
    people = [("cw", "P1", "Ann\tMarie", "O\\Neil\r\nSmith", "1990-03-04", "F", "\\N"), *children(("K1", "2016-05-06"))]
    import_extract(write_extract(tmp_path / "x", people=people), partnership_slug="p")
    person = LocalIdentifier.unrestricted.get(identifier="P1").subject
    assert (person.first_name, person.last_name, person.zip_code) == ("Ann\tMarie", "O\\Neil\r\nSmith", "\\N")
    assert LocalIdentifier.unrestricted.get(identifier="K1").subject.birth_date == date(2016, 5, 6)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk reference check is PostgreSQL's path")
def test_a_bulk_insert_pointing_at_no_row_is_refused(db, agencies):
    person = Person.objects.create(first_name="Kim", last_name="Test")
    category = ChildWelfareReport.fixed_category
    rows = [
        (pk, agencies["cw"].pk, subject, "2021-01-02", "substantiated", "", category, now(), now(), f"R{pk}")
        for pk, subject in zip(bulk.allocate_ids(ChildWelfareReport, 2), (person.pk, person.pk + 1000), strict=True)
    ]
    columns = (
        "id",
        "owner_agency_id",
        "subject_id",
        "report_date",
        "disposition",
        "summary",
        "category",
        "created_at",
        "updated_at",
        "source_id",
    )
    with pytest.raises(IntegrityError, match="subject_id: 1 new row"), transaction.atomic():
        bulk.insert_rows(ChildWelfareReport, columns, rows)
    assert not ChildWelfareReport.unrestricted.exists()
