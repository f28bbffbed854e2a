"""Facts about Tilburg that the demo states itself: teams, stadsdelen, wijken, places.

The codes, names, key figures (CBS Kerncijfers wijken en buurten 2024, table 85984NED) and
label points of the 59 wijken come from the generalised CBS/PDOK Wijk- en Buurtkaart 2024.
Attribution: "Kadaster / Centraal Bureau voor de Statistiek, 2024". The stadsdeel and
gebiedsteam of each wijk are derived by hand, not official CBS attributes. Geometry is not
stated here: it comes from a boundary import (file or PDOK) or, failing that, from schematic
shapes around the label points.
"""

from __future__ import annotations

from typing import NamedTuple

from areas.models import Wijk
from pacts.models import PartnerOrganisation

MUNICIPALITY_CODE = "GM0855"
FIGURES_YEAR = 2024
BOUNDARY_YEAR = 2024

WIJK = Wijk.Kind.WIJK
DORP = Wijk.Kind.DORP
BEDRIJVENTERREIN = Wijk.Kind.BEDRIJVENTERREIN
BUITENGEBIED = Wijk.Kind.BUITENGEBIED


class GebiedsteamFact(NamedTuple):
    name: str
    slug: str
    colour: str  # Each has at least 5:1 contrast with white text.
    focus: bool  # Kernalliantie: Noord, West and the gebied with Groenewoud.
    description: str


GEBIEDSTEAMS: tuple[GebiedsteamFact, ...] = (
    GebiedsteamFact(
        "Binnenstad",
        "binnenstad",
        "#8a3b12",
        False,
        "Het gebiedsteam voor het centrum van Tilburg en de Spoorzone Zuid. Wonen, winkelen, "
        "uitgaan en ontmoeten liggen hier dicht bij elkaar.",
    ),
    GebiedsteamFact(
        "Oud-Noord",
        "oud-noord",
        "#1d4e89",
        False,
        "Het gebiedsteam voor de oude wijken ten noorden van het spoor: het Goirke, de "
        "Hasselt, de Bouwmeester, Theresia, Loven-Besterd en Groeseind-Hoefstraat.",
    ),
    GebiedsteamFact(
        "Noord",
        "noord",
        "#0b6e4f",
        True,
        "Het gebiedsteam voor Heikant, Quirijnstok en Stokhasselt, de bedrijventerreinen en het "
        "buitengebied in het noorden. Noord is een gebied van de Kernalliantie.",
    ),
    GebiedsteamFact(
        "West",
        "west",
        "#6a3d9a",
        True,
        "Het gebiedsteam voor Het Zand, Wandelbos, De Reit, Zorgvlied, De Blaak en De Oude "
        "Warande. West is een gebied van de Kernalliantie.",
    ),
    GebiedsteamFact(
        "Reeshof",
        "reeshof",
        "#a4161a",
        False,
        "Het gebiedsteam voor de Reeshof, het grootste stadsdeel van Tilburg, met twaalf wijken "
        "van Dalem tot Witbrant.",
    ),
    GebiedsteamFact(
        "Zuid-Oost",
        "zuid-oost",
        "#a3136b",
        False,
        "Het gebiedsteam voor Hoogvenne, Armhoef, Jeruzalem, Fatima, Broekhoven en Moerenburg.",
    ),
    GebiedsteamFact(
        "Oud-Zuid West & Zuid",
        "oud-zuid-west-zuid",
        "#00716f",
        True,
        "Het gebiedsteam voor Oerle, Korvel, Noordhoek, Sint Anna, Trouwlaan, Groenewoud, "
        "Stappegoor, De Leij en het zuidelijke buitengebied. Groenewoud is een wijk van de "
        "Kernalliantie.",
    ),
    GebiedsteamFact(
        "Dorpen",
        "dorpen",
        "#5c6b00",
        False,
        "Het gebiedsteam voor de dorpen Berkel-Enschot, Udenhout en Biezenmortel en het "
        "buitengebied daaromheen.",
    ),
)

STADSDELEN: tuple[str, ...] = (
    "Centrum",
    "Oud-Noord",
    "Oud-Zuid",
    "Noord",
    "Oost",
    "Zuid",
    "West",
    "Reeshof",
    "Berkel-Enschot",
    "Udenhout",
    "Biezenmortel",
)


class WijkFact(NamedTuple):
    code: str
    name: str
    kind: str
    gebiedsteam: str
    stadsdeel: str
    inhabitants: int
    dwellings: int
    area_land_ha: int
    population_density: int
    label_lon: float
    label_lat: float


# code, name, kind, gebiedsteam, stadsdeel, inhabitants, dwellings, land area (ha),
# inhabitants per km², label point (lon, lat). Figures: CBS 2024.
WIJKEN: tuple[WijkFact, ...] = (
    WijkFact(
        "WK085510",
        "Binnenstad",
        WIJK,
        "Binnenstad",
        "Centrum",
        8065,
        5029,
        80,
        10141,
        5.08425,
        51.556,
    ),
    WijkFact(
        "WK085511",
        "Hoogvenne",
        WIJK,
        "Zuid-Oost",
        "Oud-Zuid",
        6235,
        3330,
        86,
        7221,
        5.09788,
        51.5565,
    ),
    WijkFact(
        "WK085512", "Armhoef", WIJK, "Zuid-Oost", "Oud-Zuid", 2335, 998, 28, 8344, 5.10804, 51.5585
    ),
    WijkFact(
        "WK085513", "Jeruzalem", WIJK, "Zuid-Oost", "Oud-Zuid", 1500, 713, 19, 8118, 5.1105, 51.554
    ),
    WijkFact(
        "WK085514", "Fatima", WIJK, "Zuid-Oost", "Oud-Zuid", 3410, 1639, 52, 6622, 5.10225, 51.5515
    ),
    WijkFact(
        "WK085515",
        "Broekhoven",
        WIJK,
        "Zuid-Oost",
        "Oud-Zuid",
        4445,
        2304,
        59,
        7496,
        5.09096,
        51.548,
    ),
    WijkFact(
        "WK085516",
        "Oerle",
        WIJK,
        "Oud-Zuid West & Zuid",
        "Oud-Zuid",
        6355,
        3151,
        70,
        9051,
        5.07037,
        51.5475,
    ),
    WijkFact(
        "WK085517",
        "Korvel",
        WIJK,
        "Oud-Zuid West & Zuid",
        "Oud-Zuid",
        5810,
        2974,
        79,
        7400,
        5.06475,
        51.551,
    ),
    WijkFact(
        "WK085518",
        "Trouwlaan - Uitvindersbuurt",
        WIJK,
        "Oud-Zuid West & Zuid",
        "Oud-Zuid",
        4260,
        2117,
        36,
        11745,
        5.07575,
        51.5505,
    ),
    WijkFact(
        "WK085519",
        "Sint Anna",
        WIJK,
        "Oud-Zuid West & Zuid",
        "Oud-Zuid",
        3035,
        1496,
        34,
        8900,
        5.074,
        51.5535,
    ),
    WijkFact(
        "WK085520",
        "Noordhoek",
        WIJK,
        "Oud-Zuid West & Zuid",
        "Oud-Zuid",
        4985,
        2989,
        49,
        10112,
        5.0712,
        51.558,
    ),
    WijkFact(
        "WK085521",
        "Spoorzone Zuid",
        WIJK,
        "Binnenstad",
        "Oud-Noord",
        1615,
        1086,
        22,
        7422,
        5.07025,
        51.5615,
    ),
    WijkFact(
        "WK085522",
        "Bouwmeester",
        WIJK,
        "Oud-Noord",
        "Oud-Noord",
        4320,
        2100,
        48,
        8982,
        5.07125,
        51.5645,
    ),
    WijkFact(
        "WK085523",
        "De Hasselt",
        WIJK,
        "Oud-Noord",
        "Oud-Noord",
        7030,
        3415,
        82,
        8534,
        5.0725,
        51.571,
    ),
    WijkFact(
        "WK085524",
        "Het Goirke",
        WIJK,
        "Oud-Noord",
        "Oud-Noord",
        4660,
        2331,
        48,
        9728,
        5.08225,
        51.571,
    ),
    WijkFact(
        "WK085525",
        "Groeseind-Hoefstraat",
        WIJK,
        "Oud-Noord",
        "Oud-Noord",
        7160,
        3396,
        64,
        11219,
        5.09006,
        51.5715,
    ),
    WijkFact(
        "WK085526",
        "Loven-Besterd",
        WIJK,
        "Oud-Noord",
        "Oud-Noord",
        5825,
        2874,
        64,
        9130,
        5.0955,
        51.565,
    ),
    WijkFact(
        "WK085527",
        "Theresia",
        WIJK,
        "Oud-Noord",
        "Oud-Noord",
        4560,
        2432,
        54,
        8381,
        5.08367,
        51.5645,
    ),
    WijkFact(
        "WK085528",
        "Spoorzone Noord",
        WIJK,
        "Oud-Noord",
        "Oud-Noord",
        585,
        353,
        16,
        3667,
        5.08375,
        51.5615,
    ),
    WijkFact(
        "WK085529",
        "Kanaalzone",
        BEDRIJVENTERREIN,
        "Noord",
        "Noord",
        845,
        390,
        97,
        870,
        5.09858,
        51.5705,
    ),
    WijkFact(
        "WK085530",
        "Moerenburg",
        BUITENGEBIED,
        "Zuid-Oost",
        "Oost",
        55,
        22,
        140,
        39,
        5.11835,
        51.558,
    ),
    WijkFact(
        "WK085531",
        "De Leij",
        WIJK,
        "Oud-Zuid West & Zuid",
        "Zuid",
        610,
        438,
        133,
        460,
        5.1083,
        51.544,
    ),
    WijkFact(
        "WK085532",
        "Groenewoud",
        WIJK,
        "Oud-Zuid West & Zuid",
        "Zuid",
        7385,
        3261,
        134,
        5525,
        5.092,
        51.5415,
    ),
    WijkFact(
        "WK085533",
        "Stappegoor",
        WIJK,
        "Oud-Zuid West & Zuid",
        "Zuid",
        2215,
        753,
        103,
        2153,
        5.0729,
        51.5395,
    ),
    WijkFact(
        "WK085534",
        "Bedrijventerrein Het Laar",
        BEDRIJVENTERREIN,
        "Oud-Zuid West & Zuid",
        "Zuid",
        110,
        41,
        63,
        171,
        5.05715,
        51.542,
    ),
    WijkFact("WK085535", "De Blaak", WIJK, "West", "Zuid", 5845, 2440, 193, 3026, 5.04608, 51.5485),
    WijkFact("WK085536", "Zorgvlied", WIJK, "West", "West", 4240, 1738, 86, 4919, 5.05487, 51.5535),
    WijkFact("WK085537", "De Reit", WIJK, "West", "West", 6845, 3731, 143, 4799, 5.0528, 51.562),
    WijkFact("WK085538", "Het Zand", WIJK, "West", "West", 12825, 6044, 246, 5218, 5.05575, 51.574),
    WijkFact(
        "WK085539", "Wandelbos Noord", WIJK, "West", "West", 6050, 2638, 107, 5634, 5.03612, 51.578
    ),
    WijkFact(
        "WK085540", "Wandelbos Zuid", WIJK, "West", "West", 2245, 1133, 143, 1572, 5.03175, 51.5725
    ),
    WijkFact(
        "WK085541", "De Oude Warande", BUITENGEBIED, "West", "West", 20, 7, 146, 12, 5.03062, 51.565
    ),
    WijkFact(
        "WK085542", "Stokhasselt", WIJK, "Noord", "Noord", 7095, 2948, 128, 5535, 5.07452, 51.5875
    ),
    WijkFact(
        "WK085543", "Heikant", WIJK, "Noord", "Noord", 11910, 5421, 176, 6785, 5.08744, 51.5865
    ),
    WijkFact(
        "WK085544", "Quirijnstok", WIJK, "Noord", "Noord", 4820, 2105, 132, 3653, 5.10126, 51.5825
    ),
    WijkFact(
        "WK085545",
        "Ind.terrein Loven",
        BEDRIJVENTERREIN,
        "Noord",
        "Oost",
        530,
        212,
        192,
        277,
        5.10917,
        51.573,
    ),
    WijkFact("WK085546", "Bosscheweg", WIJK, "Noord", "Oost", 220, 96, 40, 559, 5.12085, 51.5675),
    WijkFact(
        "WK085547",
        "Gesworen Hoek",
        WIJK,
        "Reeshof",
        "Reeshof",
        3895,
        1727,
        88,
        4413,
        5.01288,
        51.586,
    ),
    WijkFact(
        "WK085548", "Huibeven", WIJK, "Reeshof", "Reeshof", 4920, 2052, 126, 3910, 5.01425, 51.5775
    ),
    WijkFact(
        "WK085549", "Campenhoef", WIJK, "Reeshof", "Reeshof", 2650, 1206, 57, 4653, 5.00009, 51.5765
    ),
    WijkFact("WK085550", "Heyhoef", WIJK, "Reeshof", "Reeshof", 320, 251, 7, 4443, 5.0045, 51.5785),
    WijkFact(
        "WK085551", "Heerevelden", WIJK, "Reeshof", "Reeshof", 2310, 908, 46, 4972, 5.0009, 51.581
    ),
    WijkFact(
        "WK085552", "Dongewijk", WIJK, "Reeshof", "Reeshof", 2035, 859, 54, 3776, 4.99045, 51.578
    ),
    WijkFact(
        "WK085553",
        "Tuindorp De Kievit",
        WIJK,
        "Reeshof",
        "Reeshof",
        5210,
        2040,
        96,
        5406,
        4.99575,
        51.586,
    ),
    WijkFact(
        "WK085554", "Leeuwerik", WIJK, "Reeshof", "Reeshof", 5835, 2180, 222, 2633, 4.97712, 51.599
    ),
    WijkFact(
        "WK085555", "Dalem Noord", WIJK, "Reeshof", "Reeshof", 3865, 1420, 64, 6051, 4.9785, 51.5885
    ),
    WijkFact(
        "WK085556", "Dalem Zuid", WIJK, "Reeshof", "Reeshof", 4215, 1554, 98, 4282, 4.97844, 51.582
    ),
    WijkFact(
        "WK085557", "Koolhoven", WIJK, "Reeshof", "Reeshof", 5635, 1924, 165, 3409, 4.98072, 51.5725
    ),
    WijkFact(
        "WK085558", "Witbrant", WIJK, "Reeshof", "Reeshof", 2865, 1234, 167, 1719, 5.00571, 51.5675
    ),
    WijkFact(
        "WK085559",
        "Bedrijventerrein Kraaiven",
        BEDRIJVENTERREIN,
        "Noord",
        "Noord",
        45,
        22,
        372,
        12,
        5.05217,
        51.5885,
    ),
    WijkFact(
        "WK085560",
        "Bedrijventerrein Vossenberg",
        BEDRIJVENTERREIN,
        "Noord",
        "Noord",
        105,
        45,
        586,
        18,
        5.01712,
        51.594,
    ),
    WijkFact(
        "WK085561",
        "De Katsbogten",
        BUITENGEBIED,
        "Oud-Zuid West & Zuid",
        "Zuid",
        15,
        8,
        145,
        11,
        5.045,
        51.5365,
    ),
    WijkFact(
        "WK085562",
        "Buitengebied Tilburg Zuid-Oost",
        BUITENGEBIED,
        "Dorpen",
        "Berkel-Enschot",
        25,
        12,
        91,
        27,
        5.12598,
        51.5395,
    ),
    WijkFact(
        "WK085563",
        "Buitengebied Tilburg Zuid-West",
        BUITENGEBIED,
        "Oud-Zuid West & Zuid",
        "Zuid",
        860,
        303,
        1445,
        60,
        5.00138,
        51.5495,
    ),
    WijkFact(
        "WK085564",
        "Buitengebied Tilburg Noord-Oost",
        BUITENGEBIED,
        "Noord",
        "Noord",
        250,
        95,
        841,
        30,
        5.09613,
        51.6025,
    ),
    WijkFact(
        "WK085565",
        "Buitengebied Tilburg Noord-West",
        BUITENGEBIED,
        "Noord",
        "Noord",
        40,
        13,
        603,
        7,
        5.04829,
        51.6005,
    ),
    WijkFact(
        "WK085566",
        "Berkel-Enschot",
        DORP,
        "Dorpen",
        "Berkel-Enschot",
        14480,
        5959,
        1171,
        1236,
        5.13326,
        51.5685,
    ),
    WijkFact(
        "WK085567", "Udenhout", DORP, "Dorpen", "Udenhout", 8730, 3641, 1775, 492, 5.13739, 51.6145
    ),
    WijkFact(
        "WK085568",
        "Biezenmortel",
        DORP,
        "Dorpen",
        "Biezenmortel",
        1485,
        602,
        977,
        152,
        5.1852,
        51.6215,
    ),
)


class WerkplekFact(NamedTuple):
    gebiedsteam: str
    wijk_code: str | None
    name: str
    address: str
    # Approximate: the representative point of the wijk or buurt, not a geocoded address
    # (expect an offset of 0.3–1 km).
    longitude: float
    latitude: float


WERKPLEKKEN: tuple[WerkplekFact, ...] = (
    WerkplekFact(
        "Binnenstad",
        "WK085510",
        "Stadhuis / Stadswinkel Centrum",
        "Stadhuisplein 128-130, Tilburg",
        5.08425,
        51.556,
    ),
    WerkplekFact(
        "Noord",
        "WK085542",
        "Wijkcentrum De Ypelaer",
        "Corellistraat 10, Tilburg",
        5.07452,
        51.5875,
    ),
    WerkplekFact("Noord", None, "VerHalenHuis", "Wagnerplein 4, Tilburg", 5.08787, 51.585),
    WerkplekFact(
        "Reeshof",
        "WK085550",
        "Wijkcentrum Heyhoef",
        "Kerkenbosplaats 1, Tilburg",
        5.0045,
        51.5785,
    ),
    WerkplekFact(
        "Oud-Zuid West & Zuid",
        "WK085520",
        "Wijkcentrum In De Boomtak",
        "Boomstraat 81, 5038 GP Tilburg",
        5.0712,
        51.558,
    ),
    WerkplekFact(
        "Oud-Noord",
        "WK085523",
        "Wijkhuis T",
        "Textielplein 13, Tilburg",
        5.07275,
        51.575,
    ),
    WerkplekFact(
        "Oud-Noord",
        "WK085523",
        "MFA De Poorten",
        "Hasseltstraat 194, Tilburg",
        5.0725,
        51.571,
    ),
)


class OrganisationFact(NamedTuple):
    name: str
    slug: str
    kind: str
    website: str
    description: str


Kind = PartnerOrganisation.Kind

ORGANISATIONS: tuple[OrganisationFact, ...] = (
    OrganisationFact(
        "Gemeente Tilburg",
        "gemeente-tilburg",
        Kind.MUNICIPALITY,
        "https://www.tilburg.nl/",
        "De gemeente werkt met acht gebiedsteams van wijkregisseurs, omgevingsmanagers en "
        "wijkpartners.",
    ),
    OrganisationFact(
        "WonenBreburg",
        "wonenbreburg",
        Kind.HOUSING,
        "https://www.wonenbreburg.nl/",
        "Woningcorporatie met veel huurwoningen in Tilburg.",
    ),
    OrganisationFact(
        "TBV Wonen",
        "tbv-wonen",
        Kind.HOUSING,
        "https://www.tbvwonen.nl/",
        "Woningcorporatie in Tilburg.",
    ),
    OrganisationFact(
        "Tiwos",
        "tiwos",
        Kind.HOUSING,
        "https://www.tiwos.nl/",
        "Woningcorporatie in Tilburg.",
    ),
    OrganisationFact(
        "ContourdeTwern",
        "contourdetwern",
        Kind.WELFARE,
        "https://www.contourdetwern.nl/",
        "Welzijnsorganisatie: opbouwwerk, jongerenwerk en ondersteuning van bewoners.",
    ),
    OrganisationFact(
        "De Toegang",
        "de-toegang",
        Kind.HEALTH,
        "",
        "Toegang tot zorg en ondersteuning voor inwoners (Wmo, jeugd, werk en inkomen).",
    ),
    OrganisationFact(
        "Politie",
        "politie",
        Kind.POLICE,
        "https://www.politie.nl/",
        "De wijkagenten van de politie eenheid Zeeland-West-Brabant.",
    ),
    OrganisationFact(
        "Bewoners Belang Jeruzalem",
        "bewoners-belang-jeruzalem",
        Kind.RESIDENTS,
        "",
        "Bewonersorganisatie in Jeruzalem (BBJ), partner in het vierhoeksoverleg.",
    ),
    OrganisationFact(
        "Basisscholen Berkdijk",
        "basisscholen-berkdijk",
        Kind.SCHOOL,
        "",
        "De basisscholen in de buurt Berkdijk, die aanschuiven bij het Dichtbijteam om samen "
        "jeugdproblemen aan te pakken. (Voorbeeldorganisatie in de demo.)",
    ),
)

# slug, name, colour: the eight themes of the agendas.
THEMES: tuple[tuple[str, str, str], ...] = (
    ("wonen", "Wonen", "#1d4e89"),
    ("veiligheid", "Veiligheid", "#a4161a"),
    ("gezondheid-zorg", "Gezondheid & zorg", "#00716f"),
    ("opgroeien-onderwijs", "Opgroeien & onderwijs", "#6a3d9a"),
    ("samenleven-ontmoeten", "Samenleven & ontmoeten", "#a3136b"),
    ("werk-inkomen", "Werk & inkomen", "#8a3b12"),
    ("leefomgeving-groen", "Leefomgeving & groen", "#0b6e4f"),
    ("energietransitie", "Energietransitie", "#5c6b00"),
)
