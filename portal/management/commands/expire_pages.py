"""Expire every page the page cache holds for anonymous visitors (web/pagecache.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from web import pagecache


class Command(BaseCommand):
    help = (
        "Make every cached anonymous page old, so the next request renders it again. Needed "
        "only after a change the portal did not make itself (SQL by hand, a restored table); "
        "every change through the portal, the admin site or its commands does this already."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        before = pagecache.current_generation()
        pagecache.bump()
        after = pagecache.current_generation()
        if before is None or after is None or after == before:
            self.stderr.write("The cache did not answer: pages it holds expire on their own.")
            return
        self.stdout.write(f"Cached pages expired (generation {before} → {after}).")
