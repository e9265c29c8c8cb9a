"""The scenario corpus: every basis and its failure modes, asked of the real policy point."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from familybridge.consent import scenarios

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.yaml"))


def evaluate_in_test_database(data: dict) -> list[dict]:
    with transaction.atomic():
        decisions, _ = scenarios.evaluate(data)
        transaction.set_rollback(True)
    return decisions


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_check_in_the_corpus_gets_the_expected_decision(db, path):
    data = scenarios.parse(path.read_text())
    assert scenarios.mismatches(data, evaluate_in_test_database(data)) == []


def test_the_corpus_holds_at_least_80_checks_of_both_outcomes():
    checks = [c for path in SCENARIOS for c in scenarios.parse(path.read_text())["checks"]]
    assert len(checks) >= 80
    assert {c["expect"] for c in checks} == {"permit", "deny"}


def test_a_wrong_expectation_is_reported_plainly(db):
    data = scenarios.parse((Path(__file__).parent / "scenarios" / "court-orders.yaml").read_text())
    data["checks"][0]["expect"] = "deny"
    problems = scenarios.mismatches(data, evaluate_in_test_database(data))
    assert problems == [
        "check 0: judge1 reading tox1 for court_proceeding on 2026-02-01: "
        "expected deny, got permit (basis: court_order:o1)."
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("checks"), "Missing section 'checks'."),
        (lambda d: d["consents"][0].pop("kind"), "consents[0]: missing 'kind'."),
        (lambda d: d["records"][0].update(category="sud.gossip"), "records[0]: unknown category sud.gossip"),
        (lambda d: d["checks"][0].update(user="nobody"), "checks[0]: no user 'nobody'."),
        (lambda d: d["consents"][0].update(signed="5 Jan"), "consents[0].signed: '5 Jan' is not an ISO date"),
    ],
)
def test_a_malformed_scenario_says_where_and_what(db, change, message):
    data = scenarios.parse((Path(__file__).parent / "scenarios" / "revocation-and-events.yaml").read_text())
    change(data)
    with pytest.raises(scenarios.ScenarioError) as error:
        scenarios.check_shape(data)
        evaluate_in_test_database(data)
    assert message in str(error.value)


def run_command(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "familybridge.settings"}
    return subprocess.run(
        [sys.executable, "-m", "familybridge.cli", "policy", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


EXAMPLE = """
agencies: [{id: dcfs, kind: child_welfare}, {id: hope, kind: sud_treatment, part2: true}, {id: court, kind: court}]
users: [{id: cw1, agency: dcfs, roles: [caseworker]}, {id: judge1, agency: court, roles: [judge]}]
people: [{id: mom, birth_date: 1990-04-01}, {id: kid, birth_date: 2019-02-03}]
families: [{id: f1, members: [{person: mom, role: parent}, {person: kid, role: child}]}]
caseloads: [{user: cw1, family: f1}, {user: judge1, family: f1}]
records: [{id: tox1, owner: hope, subject: mom, category: sud.toxicology, date: 2026-01-10}]
consents: [{id: c1, subject: mom, discloser: hope, recipients: [court, dcfs], purposes: [court_monitoring],
            categories: [sud.attendance, sud.toxicology], kind: purpose_specific, signed: 2026-01-05,
            signer: mom, expires: 2026-12-31}]
court_orders: []
agreements: []
events: []
checks: [{user: judge1, record: tox1, purpose: court_monitoring, on: 2026-02-01, expect: permit},
         {user: cw1, record: tox1, purpose: case_planning, on: 2026-02-01, expect: permit}]
"""


def test_evaluate_prints_decisions_as_json_and_never_reads_expect(tmp_path):
    yaml_file = tmp_path / "example.yaml"
    yaml_file.write_text(EXAMPLE)
    result = run_command("evaluate", str(yaml_file), "--json")
    assert result.returncode == 0, result.stderr
    expected = [
        {"check": 0, "decision": "permit", "basis": "consent:c1"},
        {"check": 1, "decision": "deny", "basis": "none"},
    ]
    assert json.loads(result.stdout) == expected
    # The same scenario as JSON, without any expect: the same decisions.
    data = scenarios.parse(EXAMPLE)
    for check in data["checks"]:
        del check["expect"]
    json_file = tmp_path / "example.json"
    json_file.write_text(json.dumps(data, default=str))
    assert json.loads(run_command("evaluate", str(json_file), "--json").stdout) == expected


def test_check_exits_non_zero_on_a_mismatch_and_names_it(tmp_path):
    path = tmp_path / "example.yaml"
    path.write_text(EXAMPLE)
    result = run_command("check", str(path))
    assert result.returncode == 1
    assert "check 1: cw1 reading tox1 for case_planning on 2026-02-01: expected permit, got deny" in result.stdout
    path.write_text(
        EXAMPLE.replace("case_planning, on: 2026-02-01, expect: permit", "case_planning, on: 2026-02-01, expect: deny")
    )
    result = run_command("check", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All 2 checks match." in result.stdout


def test_a_file_that_is_not_a_scenario_fails_with_a_clear_message(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("agencies: [}")
    result = run_command("check", str(path))
    assert result.returncode != 0
    assert "Not valid YAML or JSON" in result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["consents"][1].update(recorded_by="nobody"),
            "consents[1].recorded_by: no user 'nobody'.",
        ),
        (
            lambda d: d["consents"][3].update(verified="1 Feb"),
            "consents[3].verified: '1 Feb' is not an ISO date",
        ),
        (
            lambda d: d["agreements"][0].update(approved_by=["hope"]),
            "agreements[0].approved_by: hope is not a party.",
        ),
    ],
)
def test_a_wrong_recorder_verification_or_approval_says_where_and_what(db, change, message):
    data = scenarios.parse((Path(__file__).parent / "scenarios" / "verification-and-approval.yaml").read_text())
    change(data)
    with pytest.raises(scenarios.ScenarioError) as error, transaction.atomic():
        scenarios.load(data)
    assert message in str(error.value)


def test_the_loader_notes_what_waits_for_verification_or_approval(db):
    data = scenarios.parse((Path(__file__).parent / "scenarios" / "verification-and-approval.yaml").read_text())
    with transaction.atomic():
        _, notes = scenarios.evaluate(data)
        transaction.set_rollback(True)
    assert "consents[1]: recorded outside hope, not verified, so it opens nothing from there." in notes
    assert "agreements[0]: not approved by every party, so it opens nothing." in notes
