"""Shared set-up for benchmark scripts: Django on a throw-away database (SQLite file or DATABASE_URL)."""

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def django_on_scratch_database() -> None:
    """Configure Django on a fresh database: a temporary SQLite file, or with a PostgreSQL DATABASE_URL a scratch
    database created on that server and dropped at exit, so a benchmark never writes into the database named."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        scratch = Path(tempfile.mkdtemp(prefix="familybridge-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    elif url.startswith(("postgres://", "postgresql://")):
        os.environ["DATABASE_URL"] = _scratch_postgres(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "familybridge.settings_test")  # throw-away keys, DEBUG off
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def _scratch_postgres(url: str) -> str:
    """Create an empty database beside the one named, and drop it when the script ends."""
    import atexit

    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    server = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    name = f"familybridge_bench_{os.getpid()}"
    with psycopg.connect(**server) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(**server) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    atexit.register(drop)
    return url.rsplit("/", 1)[0] + "/" + name


def best_of(repeats: int, work: Callable[[], object]) -> float:
    """The fastest of several runs, in seconds: the least disturbed by whatever else the machine does."""
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return min(timings)
