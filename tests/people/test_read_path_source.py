"""The source walk: protected records are read only through the policy point. A read that skips it —
a protected model's `unrestricted` manager, `_base_manager`, or raw SQL — is allowed only in the
modules listed, with their reason, in `familybridge.people.protected.UNRESTRICTED_READERS`."""

import ast
from pathlib import Path

import familybridge
from familybridge.people.protected import UNRESTRICTED_READERS

SOURCE = Path(familybridge.__file__).parent
RAW_SQL_CALLS = {"raw", "extra", "RawSQL", "cursor"}
# The managers and queryset methods that read around the policy point; a record's versions (people.history)
# are read with `unbound` too, once the policy point has shown the record.
SKIPPING_ATTRIBUTES = {"unrestricted", "unrestricted_with_voided", "_base_manager", "unbound"}


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def reads_skipping_the_policy_point(source: str, module: str) -> list[str]:
    """Each use, in a module outside the allow-list, of what reads protected records unfiltered."""
    if module in UNRESTRICTED_READERS:
        return []
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in SKIPPING_ATTRIBUTES:
            found.append(f"{module}:{node.lineno} .{node.attr}")
        elif isinstance(node, ast.Call):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if called in RAW_SQL_CALLS:
                found.append(f"{module}:{node.lineno} {called}()")
    return found


def test_no_module_outside_the_allow_list_reads_protected_records_around_the_policy_point():
    found = [
        use
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
        for use in reads_skipping_the_policy_point(path.read_text(), module_name(path))
    ]
    assert found == []


def test_the_walk_catches_an_unrestricted_read_added_to_a_view():
    view = "def detail(request, pk):\n    return Referral.unrestricted.get(pk=pk)\n"
    assert reads_skipping_the_policy_point(view, "familybridge.referrals.views") == [
        "familybridge.referrals.views:2 .unrestricted"
    ]
    assert reads_skipping_the_policy_point("Message._base_manager.all()", "familybridge.web.views")
    assert reads_skipping_the_policy_point("Hearing.unrestricted_with_voided.all()", "familybridge.web.views")
    assert reads_skipping_the_policy_point("report.history.unbound()", "familybridge.cases.views")
    assert reads_skipping_the_policy_point("connection.cursor().execute(sql)", "familybridge.courts.views")


def test_every_allowed_module_exists_and_says_why():
    modules = {module_name(path) for path in SOURCE.rglob("*.py")}
    for module, reason in UNRESTRICTED_READERS.items():
        assert module in modules, module
        assert len(reason) > 20, module
