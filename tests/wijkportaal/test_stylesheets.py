"""The front end's budgets: two render-blocking stylesheets, CSS ≤ 40 KB and JS ≤ 100 KB
compressed on each main page, and an NL Design System bundle with every component the
templates use and no other (scripts/build_css.py). bench/frontend.py measures the same
pages in a throttled browser; these checks read the files only."""

from __future__ import annotations

import gzip
import importlib.util
import re
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
_spec = importlib.util.spec_from_file_location("build_css", ROOT / "scripts" / "build_css.py")
assert _spec is not None and _spec.loader is not None
build_css = importlib.util.module_from_spec(_spec)
sys.modules["build_css"] = build_css  # its dataclass looks its module up there
_spec.loader.exec_module(build_css)

# The six main pages of issue 14, the busiest proposal and the city map, by template.
MAIN_PAGES = [
    "portal/home.html",
    "portal/gebiedsteam_detail.html",
    "portal/wijk_detail.html",
    "portal/wijkagenda_detail.html",
    "agendas/wijkagenda_list.html",
    "participation/proposal_list.html",
    "participation/proposal_detail.html",
    "portal/city_map.html",
]
CSS_BUDGET = 40 * 1024
JS_BUDGET = 100 * 1024
REFERENCE = re.compile(
    r"""\{%\s*(extends|include)\s+["']([^"'#]+)[^"']*["'][^%]*%\}"""
    r"""|<link rel="stylesheet" href="\{% static '([^']+)' %\}"[^>]*>"""
    r"""|<script src="\{% static '([^']+)' %\}"[^>]*>"""
    r"""|(\{%\s*htmx_script\s*%\})"""
)


def htmx_script() -> str:
    html = Template("{% load django_htmx %}{% htmx_script %}").render(Context({}))
    match = re.search(r'src="/static/([^"]+)"', html)
    assert match, html
    return match.group(1)


def assets(template: str, seen: set[str] | None = None) -> tuple[list[str], list[str]]:
    """The stylesheets and scripts a page template can load: its own, its base's and those
    of every template it includes, whatever the conditions around them (an upper bound)."""
    seen = set() if seen is None else seen
    styles: list[str] = []
    scripts: list[str] = []
    if template in seen:
        return styles, scripts
    seen.add(template)
    for match in REFERENCE.finditer((TEMPLATES / template).read_text()):
        kind, name, style, script, htmx = match.groups()
        if name:
            more_styles, more_scripts = assets(name, seen)
            styles += more_styles
            scripts += more_scripts
        elif style:
            styles.append(style)
        elif script:
            scripts.append(script)
        elif htmx:
            scripts.append(htmx_script())
    return list(dict.fromkeys(styles)), list(dict.fromkeys(scripts))


def compressed_size(names: list[str]) -> int:
    total = 0
    for name in names:
        path = finders.find(name)
        assert path, f"{name}: no such static file"
        total += len(gzip.compress(Path(path).read_bytes(), compresslevel=9))
    return total


def head_stylesheets() -> list[str]:
    head = (TEMPLATES / "base.html").read_text().split("</head>")[0]
    return re.findall(r"""<link rel="stylesheet" href="\{% static '([^']+)' %\}">""", head)


def test_two_stylesheets_block_the_first_paint() -> None:
    assert head_stylesheets() == ["css/nlds.css", "css/portal.css"]
    # No page adds one to the <head>.
    extra = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"\{% block extra_head %\}[^{]*<link rel=\"stylesheet\"", path.read_text())
    ]
    assert extra == []


@pytest.mark.parametrize("template", MAIN_PAGES)
def test_main_page_stays_within_the_byte_budgets(template: str) -> None:
    styles, scripts = assets(template)
    css, js = compressed_size(styles), compressed_size(scripts)

    assert styles[:2] == ["css/nlds.css", "css/portal.css"]
    assert css <= CSS_BUDGET, f"{template}: {css} bytes of CSS compressed ({styles})"
    assert js <= JS_BUDGET, f"{template}: {js} bytes of JS compressed ({scripts})"


def test_a_page_with_a_map_counts_leaflet_in_its_budget() -> None:
    styles, scripts = assets("portal/wijk_detail.html")

    assert "leaflet/leaflet.css" in styles and "leaflet/leaflet.js" in scripts
    assert compressed_size(scripts) > 50 * 1024  # Leaflet, the cluster plugin, htmx, the maps


def test_the_bundle_is_built_from_the_current_theme_components_and_templates() -> None:
    assert (ROOT / "static" / "css" / "nlds.css").read_text() == build_css.build(), (
        "static/css/nlds.css is out of date: run `make css`"
    )


def test_every_component_class_the_portal_uses_has_its_rules_in_the_bundle() -> None:
    vendored = build_css.COMPONENTS.read_text() + build_css.HTML_CONTENT.read_text()
    bundle = (ROOT / "static" / "css" / "nlds.css").read_text()
    styled = set(re.findall(r"\.(utrecht-[\w-]+)", vendored))
    used = {name for name in build_css.used_classes() if not name.endswith("-")}
    missing = sorted(
        name for name in used & styled if not re.search(rf"\.{re.escape(name)}(?![\w-])", bundle)
    )

    assert "utrecht-button--primary-action" in used & styled
    assert missing == []


def test_the_bundle_leaves_out_the_components_the_portal_does_not_use() -> None:
    bundle = (ROOT / "static" / "css" / "nlds.css").read_text()

    for unused in ("utrecht-accordion", "utrecht-calendar", "utrecht-drawer", "utrecht-alert"):
        assert not re.search(rf"\.{unused}(?![\w-])", bundle), unused
    assert len(bundle) < len(build_css.COMPONENTS.read_text()) / 3


def test_a_heading_class_built_in_a_template_keeps_every_level() -> None:
    # templates/areas/_address_search.html: class="utrecht-heading-{{ heading_level }}".
    bundle = (ROOT / "static" / "css" / "nlds.css").read_text()

    assert "utrecht-heading-" in build_css.used_classes()
    assert all(f".utrecht-heading-{level} " in bundle for level in range(1, 7))
