"""Shared set-up for benchmark scripts: Django on a throw-away database (SQLite file or DATABASE_URL)."""

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def django_on_scratch_database() -> None:
    """Configure Django on a fresh database: a temporary SQLite file unless DATABASE_URL says otherwise."""
    if "DATABASE_URL" not in os.environ:
        scratch = Path(tempfile.mkdtemp(prefix="familybridge-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "familybridge.settings_test")  # throw-away keys, DEBUG off
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def best_of(repeats: int, work: Callable[[], object]) -> float:
    """The fastest of several runs, in seconds: the least disturbed by whatever else the machine does."""
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return min(timings)
