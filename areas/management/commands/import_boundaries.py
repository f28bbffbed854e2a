"""Import CBS wijk and buurt boundaries from GeoJSON files or from the PDOK WFS."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from areas.boundaries import BoundaryError, fetch_pdok, read_collection
from areas.models import GeometrySource
from areas.services import import_boundaries


class Command(BaseCommand):
    help = (
        "Import CBS wijk and buurt boundaries (GeoJSON in WGS84 or RD New) from files, "
        "or download them from the PDOK WFS with --pdok. Features are matched on CBS code; "
        "one bad feature stops the import and nothing is saved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wijken", metavar="FILE", help="GeoJSON file with the wijken.")
        parser.add_argument("--buurten", metavar="FILE", help="GeoJSON file with the buurten.")
        parser.add_argument(
            "--pdok",
            action="store_true",
            help="Download the municipality's wijken and buurten from the PDOK WFS.",
        )
        parser.add_argument(
            "--year",
            type=int,
            help=(
                "Year of the boundaries. With --pdok it picks the dataset (default: "
                "WIJKPORTAAL_CBS_YEAR); with files it overrides their boundary_year."
            ),
        )
        parser.add_argument(
            "--no-figures",
            action="store_false",
            dest="update_figures",
            help="Leave the wijken's key figures (inhabitants, dwellings, …) as they are.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year: int | None = options["year"]
        if options["pdok"]:
            if options["wijken"] or options["buurten"]:
                raise CommandError("Give either --pdok or files (--wijken, --buurten), not both.")
            year = year if year is not None else settings.WIJKPORTAAL_CBS_YEAR
            source = GeometrySource.PDOK
        elif options["wijken"] or options["buurten"]:
            source = GeometrySource.FILE
        else:
            raise CommandError("Give --wijken FILE and/or --buurten FILE, or --pdok.")

        try:
            collections = self._load(options, year=year)
            self.stdout.write("Importing …")
            report = import_boundaries(
                **collections,
                source=source,
                year=year,
                update_figures=options["update_figures"],
            )
        except BoundaryError as exc:
            raise CommandError(f"{str(exc).rstrip('.')}. Nothing was imported.") from exc

        self.stdout.write(
            self.style.SUCCESS(
                f"Wijken updated: {report.wijken_updated}; buurten created: "
                f"{report.buurten_created}, updated: {report.buurten_updated}; "
                f"gebiedsteam outlines refreshed: {report.outlines_refreshed}."
            )
        )
        if report.without_geometry:
            self.stdout.write(
                self.style.WARNING(
                    f"Without geometry ({len(report.without_geometry)}): "
                    + ", ".join(report.without_geometry)
                )
            )

    def _load(self, options: dict[str, Any], *, year: int | None) -> dict[str, Any]:
        collections: dict[str, Any] = {}
        for layer in ("wijken", "buurten"):
            if options["pdok"]:
                municipality = settings.WIJKPORTAAL_MUNICIPALITY_CODE
                self.stdout.write(f"Downloading the {layer} of {municipality} ({year}) from PDOK …")
                collection = fetch_pdok(
                    layer=layer,
                    municipality_code=municipality,
                    year=year if year is not None else settings.WIJKPORTAAL_CBS_YEAR,
                )
            elif options[layer]:
                self.stdout.write(f"Reading the {layer} from {options[layer]} …")
                collection = read_collection(options[layer])
            else:
                continue
            self.stdout.write(f"  {len(collection['features'])} features")
            collections[layer] = collection
        return collections
