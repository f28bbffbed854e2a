"""Template helpers shared by every app: Markdown, query strings, percentages, colours."""

from __future__ import annotations

import threading
from typing import Any

import markdown as md
import nh3
from django import template
from django.conf import settings
from django.http import QueryDict
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


# One Markdown converter per thread, reused: `markdown.markdown()` builds a new one (and loads
# its extensions) on every call, a tenth of a wijkagenda page's time. A converter keeps state
# while it converts, so threads (gunicorn's gthread workers) never share one.
_converters = threading.local()


def _converter() -> md.Markdown:
    converter: md.Markdown | None = getattr(_converters, "markdown", None)
    if converter is None:
        converter = md.Markdown(extensions=["sane_lists"], output_format="html")
        _converters.markdown = converter
    return converter


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML that is safe to show: no scripts, event handlers or images.

    nh3 keeps only the allowed tags and only http(s)/mailto links, and adds
    rel="noopener noreferrer nofollow" to every link.
    """
    # reset() clears what the previous text left behind (reference links, footnotes).
    html = _converter().reset().convert(text or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"scope"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 — sanitised by nh3 just above


def _content_language() -> str | None:
    """The language the team writes in (the portal's own, LANGUAGE_CODE) when the page is in
    another one, else None: then what the team wrote needs marking (WCAG 3.1.2, language of
    parts), so that a screen reader reads it with the right pronunciation."""
    own = settings.LANGUAGE_CODE
    return None if (translation.get_language() or own) == own else own


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Markdown as safe HTML, marked with its language on a page in another one."""
    html = render_markdown(text)
    language = _content_language()
    return html if language is None else format_html('<div lang="{}">{}</div>', language, html)


@register.filter(name="nl")
def content_text(text: str) -> SafeString:
    """Text the team wrote (a title), escaped, and marked with its language on a page in
    another one."""
    language = _content_language()
    if language is None:
        return conditional_escape(text)
    return format_html('<span lang="{}">{}</span>', language, text)


@register.simple_tag(takes_context=True)
def query_string(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed (None removes one)."""
    request = context.get("request")
    params: QueryDict = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def colour_mark(colour: str, css_class: str = "swatch") -> SafeString:
    """A decorative block in a gebiedsteam's, theme's or class's colour: a swatch beside its
    name, or the accent bar of a card or a theme group (`css_class`, static/css/portal.css).

    The colour is the fill of an SVG rectangle, a presentation attribute: the
    Content-Security-Policy allows no style attribute, and the colours come from the
    database, so no stylesheet can hold them. The rectangle is stretched to the box that the
    class gives the SVG.
    """
    return format_html(
        '<svg class="{}" viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true"'
        ' focusable="false"><rect width="1" height="1" fill="{}"/></svg>',
        css_class,
        colour,
    )
