"""A backup of the portal's database restores to the same portal: deploy/backup.sh and restore.sh.

The documented scripts (docs/operations.md, "Backup and restore") run as they are, with
Debian's pg_dump and pg_restore, against the test database: it is filled with portal data,
dumped, restored into a fresh database, and every table (rows and contents) and sequence is
compared. A second restore over that database, changed in the meantime, must bring it back
to the backup (`--clean --if-exists`, the restore an operator does on the live database).

Like the worker tests they need real components: PostgreSQL and the PostgreSQL client
programs. They run when CI is set or the tests run on PostgreSQL; in CI a missing pg_dump or
a database other than PostgreSQL is a failure.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from tests.factories import (
    ActionFactory,
    CommentFactory,
    NotificationFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = [pytest.mark.worker]

ROOT = Path(__file__).resolve().parents[2]
BACKUP = ROOT / "deploy" / "backup.sh"
RESTORE = ROOT / "deploy" / "restore.sh"


def postgresql_bin() -> str:
    """The folder with pg_dump and pg_restore: the newest of Debian's, as .ci/run picks it."""
    ci = bool(os.environ.get("CI"))
    if not ci and connection.vendor != "postgresql":
        pytest.skip("the backup round trip runs on PostgreSQL (DATABASE_URL) or in CI")
    folders = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda path: int(re.sub(r"\D", "", Path(path).parent.name) or 0),
    )
    found = [f for f in folders if Path(f, "pg_dump").exists() and Path(f, "pg_restore").exists()]
    if not found and shutil.which("pg_dump") and shutil.which("pg_restore"):
        found = [str(Path(shutil.which("pg_dump") or "").parent)]
    problem = ""
    if connection.vendor != "postgresql":
        problem = "the backup round trip needs the test database on PostgreSQL (DATABASE_URL)"
    elif not found:
        problem = "pg_dump and pg_restore are not installed (Debian package postgresql-client)"
    if problem:
        if ci:
            pytest.fail(problem)
        pytest.skip(problem)
    return found[-1]


def url_of(name: str) -> str:
    db = connection.settings_dict
    return (
        f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    )


def run_script(script: Path, argument: str, database: str, pg_bin: str) -> str:
    """Run one of the documented scripts as an operator would; returns what it printed."""
    env = {**os.environ, "DATABASE_URL": url_of(database)}
    env["PATH"] = f"{pg_bin}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(  # noqa: S603
        ["sh", str(script), argument],  # noqa: S607
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def snapshot(database: str) -> dict[str, tuple[int, str | None]]:
    """Every table's row count and a digest of its rows; every sequence's position."""
    found: dict[str, tuple[int, str | None]] = {}
    with psycopg.connect(url_of(database).replace("postgres://", "postgresql://", 1)) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
        for (table,) in tables:
            count, digest = conn.execute(
                sql.SQL(
                    "SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM {} t"
                ).format(sql.Identifier(table))
            ).fetchone() or (0, None)
            found[table] = (count, digest)
        sequences = conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall()
        for name, last_value in sequences:
            found[f"sequence {name}"] = (last_value or 0, None)
    return found


@pytest.fixture
def fresh_database(transactional_db: None) -> str:
    """An empty database beside the test database.

    Made once and emptied for each use, and kept like pytest-django's reused test databases:
    dropping a database costs a checkpoint, seconds on a busy server.
    """
    name = f"{connection.settings_dict['NAME']}_restored"
    maintenance = url_of("postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with psycopg.connect(url_of(name).replace("postgres://", "postgresql://", 1)) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return name


def test_a_backup_restores_every_table_row_and_sequence(
    fresh_database: str, tmp_path: Path
) -> None:
    pg_bin = postgresql_bin()
    actions = ActionFactory.create_batch(3)
    for action in actions:
        ProgressUpdateFactory(action=action, text="Ná de schouw: 4 bankjes geplaatst.")
    comments = CommentFactory.create_batch(2)
    NotificationFactory.create_batch(2)
    UserFactory(email="bewoner@voorbeeld.nl", full_name="Bewoner Bé")
    source = connection.settings_dict["NAME"]
    before = snapshot(source)
    assert before["agendas_action"][0] == 3
    assert before["agendas_progressupdate"][0] == 3
    assert before["participation_comment"][0] == 2
    assert before["django_migrations"][0] > 0

    printed = run_script(BACKUP, str(tmp_path), source, pg_bin).strip()
    dump = Path(printed)
    assert dump.parent == tmp_path
    assert re.fullmatch(r"wijkportaal-\d{8}T\d{6}Z\.dump", dump.name), dump.name
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert list(tmp_path.iterdir()) == [dump]  # no .partial left behind

    run_script(RESTORE, str(dump), fresh_database, pg_bin)
    assert snapshot(fresh_database) == before

    # The live database has moved on (a row deleted, one added): a restore over it brings it
    # back to the backup.
    restored = url_of(fresh_database).replace("postgres://", "postgresql://", 1)
    with psycopg.connect(restored) as conn:
        conn.execute("DELETE FROM participation_comment WHERE id = %s", [comments[0].pk])
        conn.execute("UPDATE agendas_action SET title = 'Gewijzigd na de backup'")
    assert snapshot(fresh_database) != before
    run_script(RESTORE, str(dump), fresh_database, pg_bin)
    assert snapshot(fresh_database) == before
