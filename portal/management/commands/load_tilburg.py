"""Load the Tilburg demo: gebiedsteams, wijken, boundaries, partners, pacts and agendas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.demo import DemoLoadError, load_tilburg


class Command(BaseCommand):
    help = (
        "Load the Tilburg demo (idempotent). Boundaries come from --boundaries DIR, from "
        "--pdok, or else are schematic shapes around each wijk's label point. With DEBUG the "
        "demo people sign in with settings.DEMO_PASSWORD; without it they have no password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group()
        source.add_argument(
            "--boundaries",
            type=Path,
            metavar="DIR",
            help="Directory with *wijken*.geojson and *buurten*.geojson (CBS boundaries).",
        )
        source.add_argument(
            "--pdok",
            action="store_true",
            help="Download the boundaries from PDOK; falls back to schematic shapes.",
        )
        parser.add_argument(
            "--no-content",
            action="store_true",
            help="Load the facts only: no agendas, pacts, councils or meetings.",
        )
        parser.add_argument(
            "--demo-passwords",
            action="store_true",
            help=(
                "Insist that every demo person signs in with settings.DEMO_PASSWORD (as `make "
                "run` does); refused without DEBUG, so never in production."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            load_tilburg(
                boundaries_dir=options["boundaries"],
                pdok=options["pdok"],
                content=not options["no_content"],
                demo_passwords=options["demo_passwords"],
                stdout=self.stdout,
            )
        except DemoLoadError as exc:
            raise CommandError(str(exc)) from exc
