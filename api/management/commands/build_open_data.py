"""`manage.py build_open_data`: the open-data downloads anew, now (the night's task does the
same; api/tasks.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from api.tasks import build_open_data


class Command(BaseCommand):
    help = "Build the open-data downloads of /open-data/ anew."

    def handle(self, *args: Any, **options: Any) -> None:
        build = build_open_data()
        if build is None:
            self.stdout.write("A build is already running; nothing done.")
        else:
            self.stdout.write(f"Open-data build {build} is ready.")
