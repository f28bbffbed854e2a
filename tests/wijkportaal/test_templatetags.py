"""The Markdown filter: the reused converter gives what a new one would, and stays sanitised."""

from __future__ import annotations

import threading

import markdown
import nh3
import pytest

from wijkportaal.templatetags import portal
from wijkportaal.templatetags.portal import render_markdown

TEXTS = [
    "",
    "Plain text.",
    '**Vet** en *schuin*, met een [link](https://www.tilburg.nl/ "Tilburg").',
    "- een\n- twee\n\n1. eerste\n2. tweede",
    "3. begint bij drie\n4. vier\n\n* niet\n* genummerd",
    "## Kop\n\n> Een citaat\n\n```\ncode()\n```\n\n---",
    "Zie [de gemeente][g].\n\n[g]: https://www.tilburg.nl/",
    '<script>alert(1)</script> en <b onclick="x()">vet</b>',
    "[klik](javascript:alert(1)) en ![beeld](https://example.org/a.png)",
    "<img src=x onerror=alert(1)> & < > \" '",
    "| a | b |\n|---|---|\n| 1 | 2 |",
]


def _fresh(text: str) -> str:
    """What the filter gave with a new converter for every call (before it reused one)."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=portal.ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"scope"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


@pytest.mark.parametrize("text", TEXTS)
def test_markdown_reused_converter_gives_what_a_new_one_gives(text: str) -> None:
    # Twice, and after every other text: nothing of an earlier conversion stays behind.
    for other in TEXTS:
        render_markdown(other)
        assert str(render_markdown(text)) == _fresh(text)


def test_markdown_is_sanitised() -> None:
    assert str(render_markdown('<script>alert(1)</script> en <b onclick="x()">vet</b>')) == (
        "\n<p>en vet</p>"
    )
    assert str(render_markdown("[klik](javascript:alert(1)) ![beeld](https://e.org/a.png)")) == (
        '<p><a rel="noopener noreferrer nofollow">klik</a> </p>'
    )
    assert str(render_markdown("[site](https://www.tilburg.nl/)")) == (
        '<p><a href="https://www.tilburg.nl/" rel="noopener noreferrer nofollow">site</a></p>'
    )


def test_markdown_reference_links_do_not_carry_over_to_the_next_text() -> None:
    render_markdown("Zie [de gemeente][g].\n\n[g]: https://www.tilburg.nl/")

    assert str(render_markdown("Zie [de gemeente][g].")) == "<p>Zie [de gemeente][g].</p>"


def test_markdown_each_thread_has_its_own_converter() -> None:
    converters: list[markdown.Markdown] = []

    def convert() -> None:
        render_markdown("*een*")
        converters.append(portal._converter())  # noqa: SLF001

    threads = [threading.Thread(target=convert) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    render_markdown("*een*")

    assert len({id(converter) for converter in [*converters, portal._converter()]}) == 3  # noqa: SLF001
    assert portal._converter() is portal._converter()  # noqa: SLF001
