"""The theme's colours meet WCAG 2.2 AA contrast: 4.5:1 for text, 3:1 for UI components.

The pairs are read from the design tokens of the stylesheets templates/base.html links, so
a municipality that replaces the theme file gets its colours checked by the same test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEXT = 4.5
UI = 3.0

# (foreground, background, minimum ratio, where the pair is used). A pair whose tokens the
# theme does not define is skipped; the pairs in REQUIRED must always be there.
PAIRS = [
    ("--wp-color-text", "--wp-color-background", TEXT, "body text"),
    ("--wp-color-text", "--wp-color-surface", TEXT, "text in boxes and the footer"),
    ("--wp-color-text-muted", "--wp-color-background", TEXT, "secondary text"),
    ("--wp-color-text-muted", "--wp-color-surface", TEXT, "secondary text in boxes"),
    ("--wp-color-primary", "--wp-color-background", TEXT, "links"),
    ("--wp-color-primary", "--wp-color-surface", TEXT, "links in boxes"),
    ("--wp-color-primary-dark", "--wp-color-background", TEXT, "links on hover"),
    ("--wp-color-primary-contrast", "--wp-color-primary", TEXT, "buttons, main menu"),
    ("--wp-color-primary-contrast", "--wp-color-primary-dark", TEXT, "buttons on hover"),
    ("--wp-color-primary", "--wp-color-primary-subtle", TEXT, "info badges"),
    ("--wp-color-success", "--wp-color-background", TEXT, "results"),
    ("--wp-color-success", "--wp-color-success-bg", TEXT, "success badges"),
    ("--wp-color-warning-text", "--wp-color-warning-bg", TEXT, "warnings"),
    ("--wp-color-danger", "--wp-color-background", TEXT, "errors"),
    ("--wp-color-danger", "--wp-color-danger-bg", TEXT, "danger badges"),
    ("--wp-color-text", "--wp-color-neutral-bg", TEXT, "neutral badges"),
    ("--wp-color-text", "--wp-color-focus", TEXT, "skip link, focused links"),
    ("--wp-color-border", "--wp-color-background", UI, "form field borders"),
    ("--wp-color-primary", "--wp-color-background", UI, "button edges"),
    ("--wp-color-focus-outline", "--wp-color-background", UI, "focus outline"),
    ("--wp-color-focus-outline", "--wp-color-surface", UI, "focus outline in boxes"),
    ("--wp-color-focus", "--wp-color-primary", UI, "focus ring on the main menu"),
    # NL Design System component tokens, where the theme sets them.
    ("--utrecht-document-color", "--utrecht-document-background-color", TEXT, "document"),
    ("--utrecht-link-color", "--utrecht-document-background-color", TEXT, "links"),
    ("--utrecht-link-hover-color", "--utrecht-document-background-color", TEXT, "links on hover"),
    ("--utrecht-link-focus-color", "--utrecht-link-focus-background-color", TEXT, "focused links"),
    ("--utrecht-nav-bar-color", "--utrecht-nav-bar-background-color", TEXT, "main menu"),
    ("--utrecht-skip-link-color", "--utrecht-skip-link-background-color", TEXT, "skip link"),
    (
        "--utrecht-button-primary-action-color",
        "--utrecht-button-primary-action-background-color",
        TEXT,
        "primary buttons",
    ),
    (
        "--utrecht-button-primary-action-hover-color",
        "--utrecht-button-primary-action-hover-background-color",
        TEXT,
        "primary buttons on hover",
    ),
    (
        "--utrecht-button-secondary-action-color",
        "--utrecht-button-secondary-action-background-color",
        TEXT,
        "secondary buttons",
    ),
    (
        "--utrecht-button-secondary-action-hover-color",
        "--utrecht-button-secondary-action-hover-background-color",
        TEXT,
        "secondary buttons on hover",
    ),
    ("--utrecht-form-control-color", "--utrecht-form-control-background-color", TEXT, "fields"),
    (
        "--utrecht-form-control-placeholder-color",
        "--utrecht-form-control-background-color",
        TEXT,
        "placeholders",
    ),
    ("--utrecht-alert-color", "--utrecht-alert-background-color", TEXT, "alerts"),
    (
        "--utrecht-form-control-border-color",
        "--utrecht-form-control-background-color",
        UI,
        "field borders",
    ),
    (
        "--utrecht-focus-outline-color",
        "--utrecht-document-background-color",
        UI,
        "focus outline",
    ),
    (
        "--utrecht-focus-inverse-outline-color",
        "--utrecht-nav-bar-background-color",
        UI,
        "focus ring on the main menu",
    ),
    *(
        (
            f"--utrecht-status-badge-{variant}color",
            f"--utrecht-status-badge-{variant}background-color",
            TEXT,
            f"{variant.rstrip('-') or 'default'} status badges",
        )
        for variant in ("", "neutral-", "active-", "success-", "warning-", "danger-", "inactive-")
    ),
]
REQUIRED = {
    "--wp-color-text",
    "--wp-color-text-muted",
    "--wp-color-background",
    "--wp-color-surface",
    "--wp-color-primary",
    "--wp-color-primary-contrast",
    "--wp-color-border",
    "--wp-color-focus",
    "--wp-color-focus-outline",
}
# The rule sets that hold the theme: the document root, or the theme class on <html>.
THEME_SELECTORS = {":root", "html", ".wijkportaal-theme", "html.wijkportaal-theme"}


def linked_stylesheets() -> list[Path]:
    base = (ROOT / "templates" / "base.html").read_text()
    names = re.findall(r"""\{% static ['"](css/[^'"]+\.css)['"] %\}""", base)
    return [ROOT / "static" / name for name in names]


def theme_tokens() -> dict[str, str]:
    """Custom properties set on the root or the theme class, later stylesheets winning."""
    tokens: dict[str, str] = {}
    for path in linked_stylesheets():
        css = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
            if {s.strip() for s in selectors.split(",")} & THEME_SELECTORS:
                for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", body):
                    tokens[name] = value.strip()
    return tokens


def resolve(tokens: dict[str, str], name: str) -> str:
    value = tokens[name]
    for _ in range(10):
        reference = re.fullmatch(r"var\(\s*(--[\w-]+)\s*(?:,\s*(.+))?\)", value)
        if not reference:
            return value
        value = tokens.get(reference.group(1)) or (reference.group(2) or "").strip()
    raise AssertionError(f"{name} refers to itself")


def rgb(colour: str) -> tuple[int, int, int]:
    colour = {"white": "#ffffff", "black": "#000000"}.get(colour.lower(), colour)
    hex_digits = re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", colour)
    if hex_digits:
        digits = hex_digits.group(1)
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))
    numbers = re.fullmatch(r"rgb\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)\s*\)", colour)
    if numbers:
        return (int(numbers.group(1)), int(numbers.group(2)), int(numbers.group(3)))
    raise ValueError(f"not an opaque colour: {colour}")


def luminance(colour: str) -> float:
    """Relative luminance as WCAG 2 defines it."""
    channels = [c / 255 for c in rgb(colour)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize(
    ("foreground", "background", "expected"),
    [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#767676", "#fff", 4.54)],
)
def test_contrast_follows_the_wcag_formula(foreground: str, background: str, expected: float):
    assert round(contrast(foreground, background), 2) == expected


def test_theme_defines_the_brand_colours() -> None:
    assert sorted(REQUIRED - set(theme_tokens())) == []


def test_theme_colour_pairs_meet_wcag_aa_contrast() -> None:
    tokens = theme_tokens()
    failures = []
    checked = 0
    for foreground, background, minimum, use in PAIRS:
        if foreground not in tokens or background not in tokens:
            continue
        checked += 1
        fg, bg = resolve(tokens, foreground), resolve(tokens, background)
        ratio = contrast(fg, bg)
        if ratio < minimum:
            failures.append(
                f"{use}: {foreground} {fg} on {background} {bg} is {ratio:.2f}:1, needs {minimum}:1"
            )

    # test_theme_defines_the_brand_colours makes sure the brand pairs are among those checked.
    assert (failures, checked > 0) == ([], True)
