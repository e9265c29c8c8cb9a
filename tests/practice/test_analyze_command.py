import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from familybridge.practice.analysis import analyze, read_responses

RESPONSES = (
    "respondent_id,system,item_id,score,element\n"
    + "".join(f"c{i},child_welfare,V01,{s},1\n" for i, s in enumerate([5, 5, 4, 4, 5]))
    + "".join(f"t{i},treatment,V01,{s},1\n" for i, s in enumerate([2, 2, 3, 1, 2]))
    + "j1,court,V01,3,1\n"
)


def test_analyze_prints_the_json_the_issue_specifies(tmp_path, capsys):
    path = tmp_path / "responses.csv"
    path.write_text(RESPONSES)
    call_command("practice", "analyze", str(path), "--json")
    printed = json.loads(capsys.readouterr().out)
    assert printed == analyze(read_responses(RESPONSES))
    assert printed["items"]["V01"]["systems"]["court"] == {"n": 1, "suppressed": True}
    assert printed["items"]["V01"]["gap"] == 2.6
    assert printed["agenda"] == ["V01"]


def test_analyze_without_json_prints_the_agenda(tmp_path, capsys):
    path = tmp_path / "responses.csv"
    path.write_text(RESPONSES)
    call_command("practice", "analyze", str(path))
    assert "1. V01" in capsys.readouterr().out


def test_bad_input_exits_with_status_2(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("respondent_id,system,item_id,score\nr1,cw,A,9\n")
    with pytest.raises(CommandError, match="line 2: score must be") as error:
        call_command("practice", "analyze", str(path), "--json")
    assert error.value.returncode == 2
    with pytest.raises(CommandError, match="Cannot read") as missing:
        call_command("practice", "analyze", str(tmp_path / "nowhere.csv"))
    assert missing.value.returncode == 2


def test_the_console_command_reports_bad_input_on_stderr(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("respondent_id,system,item_id,score,colour\n")
    done = subprocess.run(
        [sys.executable, "-m", "familybridge.cli", "practice", "analyze", str(path), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Unknown column 'colour'" in done.stderr
    assert done.stdout == ""
