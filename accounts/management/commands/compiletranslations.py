"""Compile locale/*/LC_MESSAGES/django.po into .mo files without GNU gettext.

A fresh machine with only Python has no msgfmt, so the portal compiles its catalogues with
polib. With --check it first refuses a catalogue that has untranslated or fuzzy entries, so
CI fails on a string that would show up in English.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Compile the translation catalogues; --check fails on untranslated or fuzzy entries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Fail when a catalogue has untranslated or fuzzy entries.",
        )

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        catalogues = sorted(
            po for base in settings.LOCALE_PATHS for po in Path(base).glob("*/LC_MESSAGES/*.po")
        )
        if not catalogues:
            raise CommandError("No translation catalogues found in LOCALE_PATHS.")
        for path in catalogues:
            catalogue = polib.pofile(str(path))
            if check:
                problems = [
                    f"  untranslated: {entry.msgid!r}" for entry in catalogue.untranslated_entries()
                ] + [f"  fuzzy: {entry.msgid!r}" for entry in catalogue.fuzzy_entries()]
                if problems:
                    raise CommandError(f"{path} is incomplete:\n" + "\n".join(problems))
            catalogue.save_as_mofile(str(path.with_suffix(".mo")))
            self.stdout.write(
                f"{path}: {len(catalogue.translated_entries())} messages, "
                f"{catalogue.percent_translated()}% translated"
            )
