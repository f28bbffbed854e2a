"""What the benchmark steps share: database URLs, the Django environment, the work folder.

Every step runs in its own process, because Django reads `DATABASE_URL` once, when the
settings are imported: `configure()` must run before anything imports Django's models.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Real CBS boundaries beside the project (see DESIGN.md, "Data beside the project").
SHARED_DATA = REPO.parent / "shared" / "data"
DEFAULT_WORK_DIR = Path(tempfile.gettempdir()) / "wijkportaal-bench"
# The only databases the suite creates, empties or drops: never a developer's own.
DATABASE_PREFIX = "bench_"
SECRET_KEY = "bench-only-not-secret"  # noqa: S105


def is_postgres(url: str) -> bool:
    return urllib.parse.urlsplit(url).scheme in ("postgres", "postgresql", "pgsql")


def database_url(base: str | None, name: str, work_dir: Path) -> str:
    """The URL of the benchmark database `name`: on the base's PostgreSQL server, else SQLite.

    Only the server of `base` is used; the database it names is never touched.
    """
    if base and is_postgres(base):
        parts = urllib.parse.urlsplit(base)
        return urllib.parse.urlunsplit(parts._replace(path=f"/{name}", query=""))
    return f"sqlite:///{work_dir / f'{name}.sqlite3'}"


def database_name(url: str) -> str:
    path = urllib.parse.urlsplit(url).path
    return Path(path).stem if not is_postgres(url) else path.lstrip("/")


def masked(text: str) -> str:
    """A URL, or a command with URLs in it, without passwords: for reports and logs."""
    return re.sub(r"(://[^:/@\s]+):[^@\s]+@", r"\1:***@", text)


def recreate_database(url: str) -> None:
    """Drop and create the benchmark database, so that every generation starts empty.

    Refuses any database whose name does not start with `bench_`.
    """
    name = database_name(url)
    if not name.startswith(DATABASE_PREFIX):
        raise SystemExit(f"Refusing to recreate {name!r}: benchmark databases start with bench_.")
    if not is_postgres(url):
        path = Path(urllib.parse.urlsplit(url).path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        sqlite3.connect(path).close()
        return
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def portal_environment(
    url: str, *, conn_max_age: int = 0, redis_url: str = "", tasks_in_process: bool = False
) -> dict[str, str]:
    """The environment of a production-like portal process on the benchmark database.

    With `redis_url`, Redis is the cache and the Celery broker, as in production; without
    it, the local-memory cache and tasks in process, the embedded default. No Celery worker
    runs during a benchmark: the pages measured queue no task. `tasks_in_process` runs tasks
    in the process instead (the runner's, whose changes notify followers). Mail stays in
    memory.
    """
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SECRET_KEY": SECRET_KEY,
            "DJANGO_DEBUG": "false",
            # testserver: the Django test client that counts the queries.
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "WIJKPORTAAL_LOG_LEVEL": "WARNING",
            "WIJKPORTAAL_DB_CONN_MAX_AGE": str(conn_max_age),
            "WIJKPORTAAL_BASEMAP_URL": "",
            "DJANGO_SETTINGS_MODULE": "wijkportaal.settings",
            "DJANGO_EMAIL_URL": "memorymail://",
        }
    )
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "WIJKPORTAAL_TASKS_EAGER"):
        env.pop(name, None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    if tasks_in_process:
        env["CELERY_BROKER_URL"] = "memory://"
        env["WIJKPORTAAL_TASKS_EAGER"] = "true"
    return env


def configure(url: str, *, conn_max_age: int = 0, redis_url: str = "") -> None:
    """Point this process's Django at the benchmark database (and cache) and set it up.

    Tasks run in this process: a change made here notifies as the portal does, at once.
    """
    env = portal_environment(
        url, conn_max_age=conn_max_age, redis_url=redis_url, tasks_in_process=True
    )
    for name in [name for name in os.environ if name not in env]:
        del os.environ[name]
    os.environ.update(env)
    import django

    django.setup()


def busiest_proposal_slug() -> str | None:
    """The public proposal with the most comments among the decided ones (the proposal page
    at its fullest: thread, outcomes and decision), or among all when none is decided. Needs
    `configure()` first."""
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count

    from participation.models import Proposal

    public = Proposal.objects.visible_to(AnonymousUser()).annotate(comment_count=Count("comments"))
    decided = public.filter(status=Proposal.Status.DECIDED)
    chosen = decided if decided.exists() else public
    return chosen.order_by("-comment_count", "pk").values_list("slug", flat=True).first()
