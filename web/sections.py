"""Parts of a page kept in the cache until a table they read changes.

A page is made of sections (the results of a wijk, its proposals, its meetings); each is
rendered by a function that reads what it shows from the database. `cached_section` runs that
function once and keeps its HTML together with the generation of every table its queries
read (web.pagecache keeps one generation a table, bumped by every change to it). The next
request gets the kept HTML while none of those tables has changed since: a team member's edit
of an action renders the sections that read actions again, and leaves the wijk's proposals and
meetings as they were.

Never stale, for the same reasons as the page cache (docs/architecture.md): the generations
are read before the section reads the database, a change bumps its tables inside its
transaction and again after the commit, and an entry lives at most
WIJKPORTAAL_PAGE_CACHE_SECONDS (which bounds what changes with the clock alone).

What a section may not do, and what happens then:
- It reads a table no generation watches (sessions, notifications, follows): it is not kept.
  Tables only migrations change (`STATIC_TABLES`) count as watched.
- It shows something loaded before it ran (an object of the view): that must be in `key`.
- Signed-in people each have their own entries, also because what they may see depends on
  their memberships; those entries also end with any change to an account or a membership
  (`roles_in`), so a membership that ends takes its drafts and closed meetings along on the
  next request.
- A form's CSRF token is kept as a placeholder and filled in with the visitor's own token.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache as memoise
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from web import pagecache
from web.fragments import digest

logger = logging.getLogger(__name__)

KEY_PREFIX = "section"
# A quoted name in the SQL Django writes: the tables a query reads are among them.
QUOTED_NAME = re.compile(r'"([A-Za-z0-9_]+)"')
# The CSRF token where a page carries it: in a form, and for htmx in the body's headers.
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*(")')
CSRF_PLACEHOLDER = "\x00csrf\x00"
SLOT = re.compile("\x00section:([^\x00]+)\x00")
# How long a section lasts that changes with the clock only by the day (`dated`): a bound for
# what changes without its tables (a bug that writes past the models' signals).
DATED_SECONDS = 60 * 60
# Tables only a migration changes, and every migration bumps all generations
# (pagecache._bump_after_migrate): a section may read them and still be kept. The content
# types name the model of a change record.
STATIC_TABLES = frozenset({"django_content_type"})


@memoise
def all_tables() -> frozenset[str]:
    """Every table of the portal's models and their many-to-many relations."""
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        tables.add(model._meta.db_table)
    return frozenset(tables)


_role_models: list[type[Model]] = []


def roles_in(*models: type[Model]) -> None:
    """Say that these models hold what a signed-in person may see (their memberships of
    teams, councils and organisations): each app registers its own in AppConfig.ready."""
    _role_models.extend(models)


def account_tables() -> frozenset[str]:
    """The accounts' table and the tables of roles (`roles_in`): a signed-in person's entries
    depend on them besides what they read, so that a role that ends ends them too."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return frozenset({user_model._meta.db_table, *(m._meta.db_table for m in _role_models)})


@contextmanager
def _reading() -> Iterator[set[str]]:
    """The tables the queries run inside the block read (or write)."""
    read: set[str] = set()
    known = all_tables()

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        read.update(name for name in QUOTED_NAME.findall(sql) if name in known)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield read


def _generations(request: HttpRequest) -> dict[str, int] | None:
    """The generation of every watched table, read once a request, before its first section
    reads the database; None while the cache fails."""
    if not hasattr(request, "_section_generations"):
        request._section_generations = pagecache.table_generations(  # type: ignore[attr-defined]
            sorted(pagecache.watched_tables())
        )
    return request._section_generations  # type: ignore[attr-defined]


def _scoped_generations(
    request: HttpRequest, scope: str, values: list[Any]
) -> dict[str, int] | None:
    """The counters of these values of `scope`, read once a request (for the several sections
    of one agenda on a page), before the first section of them reads the database."""
    known: dict[tuple[str, Any], dict[str, int]] = request.__dict__.setdefault(
        "_section_scoped_generations", {}
    )
    missing = [value for value in values if (scope, value) not in known]
    if missing:
        read = pagecache.scoped_generations(scope, missing)
        if read is None:
            return None
        for value in missing:
            rows = {f"{scope}:{value}", f"{scope}:{pagecache.ANY_ROW}"}
            known[(scope, value)] = {
                name: generation
                for name, generation in read.items()
                if name.partition("@")[2] in rows
            }
    return {name: gen for value in values for name, gen in known[(scope, value)].items()}


def _audience(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "anonymous"


def _with_token(request: HttpRequest, html: str) -> SafeString:
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 — rendered by a template, here or before


def cached_section(
    request: HttpRequest,
    name: str,
    key: Any,
    render: Callable[[], str],
    *,
    scope: tuple[str, Any] | None = None,
    dated: bool = False,
) -> SafeString:
    """The section `name` for `key` (everything it shows that `render` does not read itself)
    for this visitor, in the current language: kept, or `render()`ed now and kept while the
    tables it read stay the same.

    `scope` (a scope of web.pagecache and its value, such as `("wijkagenda", 12)`) says that
    of every table scoped so, the section reads only the rows of that value: it is kept while
    those rows stay the same, whatever changes elsewhere in their tables.

    `dated`: what the section shows changes with the clock only from one day to the next (an
    action that becomes overdue), not by the hour (a comment period that closes): it is kept
    for today only, and for anonymous visitors up to DATED_SECONDS instead of
    WIJKPORTAAL_PAGE_CACHE_SECONDS."""
    scope_name, value = scope if scope is not None else ("", None)
    found = _cached(
        request,
        name,
        {"": key},
        lambda missing: {"": render()},
        scope_name,
        {"": value},
        dated=dated,
    )
    return found[""]


def cached_sections(
    request: HttpRequest,
    name: str,
    scope: str,
    values: list[Any],
    render: Callable[[list[Any]], dict[Any, str]],
    *,
    dated: bool = False,
) -> dict[Any, SafeString]:
    """The sections `name` of several values of the scope `scope` (the plans of each agenda
    on a page), each kept by itself while the rows of its value stay the same; those that are
    not kept are rendered together, by one call of `render(their values)`, which returns the
    HTML of each. The value is the key: each section shows what `render` reads of it.
    `dated` as for `cached_section`."""
    keys = {str(value): value for value in values}
    found = _cached(
        request,
        name,
        keys,
        lambda missing: {str(v): html for v, html in render([keys[k] for k in missing]).items()},
        scope,
        keys,
        dated=dated,
    )
    return {keys[k]: html for k, html in found.items()}


def _cached(
    request: HttpRequest,
    name: str,
    keys: dict[str, Any],
    render: Callable[[list[str]], dict[str, str]],
    scope: str,
    values: dict[str, Any],
    *,
    dated: bool,
) -> dict[str, SafeString]:
    """Each of the sections `name` by `keys` (an id: its key), kept or rendered by
    `render(the ids of those not kept)`; with a `scope`, each id's section reads of the tables
    scoped so only the rows of its value (`values`)."""

    def rendered(ids: list[str]) -> dict[str, SafeString]:
        return {i: mark_safe(html) for i, html in render(ids).items()}  # noqa: S308

    if not pagecache.enabled():
        return rendered(list(keys))
    generations = _generations(request)
    if generations is not None and scope:
        scoped = _scoped_generations(request, scope, list(values.values()))
        generations = None if scoped is None else {**generations, **scoped}
    if generations is None:
        return rendered(list(keys))
    audience = _audience(request)
    language = get_language()
    day = f":{timezone.localdate().isoformat()}" if dated else ""
    cache_keys = {
        i: f"{KEY_PREFIX}:{name}:{language}:{audience}{day}:"
        + digest([key, [scope, values[i]]] if scope else key)
        for i, key in keys.items()
    }
    cache = caches[pagecache.CACHE_ALIAS]
    done, entries = pagecache.safely(
        "read a section", lambda: cache.get_many(list(cache_keys.values()))
    )
    found: dict[str, SafeString] = {}
    for i, cache_key in cache_keys.items():
        entry = entries.get(cache_key) if done else None
        if entry is not None:
            kept_generations, html = entry
            if all(generations.get(table) == value for table, value in kept_generations.items()):
                found[i] = _with_token(request, html)
    missing = [i for i in keys if i not in found]
    if not missing:
        return found
    with _reading() as read:
        htmls = {i: str(html) for i, html in render(missing).items()}
    if audience != "anonymous":
        read |= account_tables()
    read -= STATIC_TABLES
    keep: dict[str, Any] = {}
    for i, html in htmls.items():
        found[i] = mark_safe(html)  # noqa: S308 — a rendered template
        tables = pagecache.in_scope(read, scope, values[i]) if scope else read
        if not tables <= generations.keys():
            # It read a table no generation watches (sessions, notifications): not kept.
            continue
        kept = {table: generations[table] for table in tables}
        kept[pagecache.ALL_TABLES_KEY] = generations[pagecache.ALL_TABLES_KEY]
        stored = CSRF_INPUT.sub(lambda m: f"{m.group(1)}{CSRF_PLACEHOLDER}{m.group(2)}", html)
        keep[cache_keys[i]] = (kept, stored)
    # Anonymous visitors share their entries, signed-in people have their own: those are not
    # kept longer than undated ones, so that their number stays small.
    seconds = DATED_SECONDS if dated and audience == "anonymous" else pagecache.entry_seconds()
    if keep:
        pagecache.safely("keep a section", lambda: cache.set_many(keep, seconds))
    return found


def slot(name: str) -> SafeString:
    """A place in a kept section or page for the section `name`, filled in on each request
    (`fill_slots`): what shows there is kept by itself, with what it read."""
    return mark_safe(f"\x00section:{name}\x00")  # noqa: S308 — no markup, only its name


def slots_in(html: str) -> list[str]:
    """The names of the slots in `html`, in their order."""
    return SLOT.findall(html)


def fill_slots(html: str, section: Callable[[str], str]) -> SafeString:
    """`html` with each slot filled with `section(its name)`. Slots are never met in what
    people write: forms refuse the null character they are made of."""
    return mark_safe(  # noqa: S308 — rendered by templates, here or before
        SLOT.sub(lambda found: str(section(found.group(1))), html)
    )


def cached_page(
    request: HttpRequest,
    name: str,
    key: Any,
    render: Callable[[dict[str, SafeString]], str],
    sections: dict[str, SafeString],
    *,
    dated: bool = False,
) -> SafeString:
    """The page `name` for `key`, made of `sections` (each from `cached_section`) and what
    `render(slots)` shows around them: the page's template rendered with a slot in place of
    each section, kept like a section until a table it read changes, and filled with the
    sections of this request. After a change only the sections that read a changed table are
    rendered again, and the rest of the page (header, map, buurten, navigation) is not.

    The address and whether htmx asks count as part of `key`. A visitor with a message waiting
    gets the page rendered, not kept: showing a message uses it up. `dated` as for
    `cached_section`."""
    slots = {section: slot(section) for section in sections}
    if len(get_messages(request)):
        html = str(render(slots))
    else:
        page_key = [key, request.get_full_path(), request.headers.get("HX-Request", "")]
        html = str(
            cached_section(request, f"page:{name}", page_key, lambda: render(slots), dated=dated)
        )
    return fill_slots(html, sections.__getitem__)
