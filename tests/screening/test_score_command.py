"""`familybridge score`: the same scoring as the app, JSON out, exit status 2 on bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

FAMILYBRIDGE = str(Path(sys.executable).parent / "familybridge")


def score(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([FAMILYBRIDGE, "score", *args], capture_output=True, text=True, timeout=120)


def test_prints_the_result_as_json():
    done = score("AUDIT", "--answers", "[4,4,4,4,0,0,0,0,2,1]", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "instrument": "AUDIT",
        "total": 22,
        "band": "IV",
        "positive": True,
        "flags": ["escalate"],
    }


def test_sex_variant_and_skip_logic_reach_the_scorer():
    female = json.loads(score("audit-c", "--answers", "[1,1,1]", "--sex", "female", "--json").stdout)
    male = json.loads(score("AUDIT-C", "--answers", "[1,1,1]", "--sex", "male", "--json").stdout)
    assert (female["positive"], male["positive"]) == (True, False)
    hold = json.loads(score("TWEAK", "--answers", "[5,0,0,0,0]", "--variant", "hold", "--json").stdout)
    high = json.loads(score("TWEAK", "--answers", "[5,0,0,0,0]", "--variant", "high", "--json").stdout)
    assert (hold["total"], high["total"]) == (0, 2)
    crafft = json.loads(score("CRAFFT-2.1", "--answers", "[0,0,0,1,null,null,null,null,null]", "--json").stdout)
    assert crafft == {"instrument": "CRAFFT-2.1", "total": 1, "band": None, "positive": False, "flags": ["car"]}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["PHQ-9", "--answers", "[0,0]"], "9 items"),
        (["PHQ-9", "--answers", "[0,0,0,0,0,0,0,0,7]"], "out of range"),
        (["NOPE", "--answers", "[]"], "Unknown instrument"),
        (["PHQ-2", "--answers", "not json"], "not valid JSON"),
        (["PHQ-2", "--answers", "[0,0]", "--sex", "other"], "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(args, message):
    done = score(*args, "--json")
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
