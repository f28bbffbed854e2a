"""A change the team makes, for the cold measurements of bench.run.

`make_change` publishes a wijkagenda again through `agendas.services.publish_wijkagenda`,
as its gebied's lead does from the portal: the same transaction, records and notifications,
and so whatever invalidation the portal runs on a publish (a page cache's generation key,
a fragment cache keyed on the version). The first request to a page after it is the cold
request. With `clear_cache` the cache is emptied as well (`cache.clear()`: with Redis that
empties the whole Redis database of the URL), for a fully cold start.

Runs in the runner's process, configured by `bench.common.configure` on the same database
and cache as the server. A page cache in the local-memory cache of each gunicorn worker is
out of this process's reach: only a shared cache (Redis) sees a `clear_cache`, and only
invalidation stored in the database or in Redis sees the publish.
"""

from __future__ import annotations

from typing import Any


def publisher(agenda: Any) -> Any:
    """An active user allowed to publish `agenda` (its gebied's lead or an administrator)."""
    from accounts.models import User

    for user in User.objects.filter(is_active=True).order_by("pk").iterator():
        if user.has_perm("agendas.publish_wijkagenda", agenda):
            return user
    raise SystemExit(f"Nobody may publish {agenda.slug}: no cold measurement possible.")


def make_change(wijkagenda_slug: str, *, clear_cache: bool = False) -> str:
    """Publish the wijkagenda `wijkagenda_slug` again, as its lead; returns what was done."""
    from django.core.cache import cache

    from agendas.models import Wijkagenda
    from agendas.services.agendas import publish_wijkagenda

    agenda = Wijkagenda.objects.get(slug=wijkagenda_slug)
    version = publish_wijkagenda(
        agenda=agenda, change_summary="Benchmark: published again", by=publisher(agenda)
    )
    done = f"published {agenda.slug} again (version {version.number})"
    if clear_cache:
        cache.clear()
        done += ", cache cleared"
    return done
