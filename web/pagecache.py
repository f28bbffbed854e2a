"""The page cache for anonymous visitors, and the generation that makes it never stale.

Every answer an anonymous visitor can get from the cache is stored with the *generation*
that was current when its request came in, one counter in the cache (Redis in production,
the local-memory cache on the embedded default), and is served only while that generation
is still the current one: the counter and the page are read in one round trip. Every change
that anonymous visitors can see bumps the counter, so every page stored before it is never
served again; nothing is deleted one by one, and no page has to know which objects it shows.
Why this is never stale is in docs/architecture.md ("The page cache"); in short:

- the request reads the generation *before* the view reads the database, and its answer is
  stored with that generation only;
- a change bumps the generation when the model is saved (inside its transaction) and again
  right after the commit (`bump`). A page rendered from the old data is stored with a
  generation that is already past once the commit is visible, or with the one the first
  bump made, which the second bump ends.

The middleware serves and stores only GET and HEAD without a session cookie (nobody signed
in) and without a messages cookie, and stores only a 200 that sets no cookie, says nothing
against caching, and varies on nothing but the language, the cookie (signed in or not),
htmx and compression. Signed-in people never read or fill it.

A cache that fails (Redis down or hung) is skipped for CACHE_RETRY_SECONDS in this process:
pages are rendered as without the cache. A bump that fails is owed and made on the next cache
use of the process; entries live at most WIJKPORTAAL_PAGE_CACHE_SECONDS in any case, which
also bounds what changes with the clock alone (a meeting that has begun, a comment period
that has closed).

This module imports no app; the apps tell it which models to watch (`watch`) and call
`bump` themselves where they change rows without saving models (`QuerySet.update`,
`bulk_create`).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection, models, transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    patch_cache_control,
)

from web.languages import chosen_language

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
KEY_PREFIX = "pagecache:page"
# Beside the one generation of every page, one per watched table (web.sections keeps parts of
# pages with the generations of the tables they read), and one that a change without a table
# (a bulk update, a migration) bumps for all of them at once.
TABLE_KEY_PREFIX = "pagecache:table"
ALL_TABLES_KEY = "pagecache:tables"
# The Cache-Control of an answer anyone may get: a browser or proxy may keep it, but asks
# again (If-None-Match, answered 304 while the page is unchanged) before each use.
PUBLIC_CACHE_CONTROL = {"public": True, "max_age": 0, "must_revalidate": True}
# The Cache-Control of a signed-in person's page: theirs alone, asked again before each use.
PRIVATE_CACHE_CONTROL = {"private": True, "no_cache": True}
# Stored answers may vary on these request headers only; the key accounts for each.
KEYED_VARY = frozenset({"accept-language", "cookie", "hx-request", "accept-encoding"})
# After a cache error, the next requests of this process skip the cache for this long: a hung
# Redis costs one timeout per process every this many seconds, not one per request.
CACHE_RETRY_SECONDS = 5.0
SAFE_METHODS = ("GET", "HEAD")
# Concurrent misses of one page and generation (the visitors who come in together right after
# a change) render it once: the first claims the render, the others wait for what it stores.
# Whoever waits longer than this renders the page itself; a claim of a render that never ends
# (a process killed) expires after as long.
RENDER_KEY_PREFIX = "pagecache:render"
RENDER_WAIT_SECONDS = 3
# A page that changed renders in 20-40 ms at 100x: polling every 2 ms answers those waiting
# about 1 ms after it is stored (every 5 ms: 2.5 ms, a tenth of the render), and with 7 of 8
# visitors waiting took no throughput from the render (docs/performance.md).
RENDER_POLL_SECONDS = 0.002
RENDERING = "rendering"
NOT_STORED = "not stored"

# Addresses whose last answer could not be stored (the health check, a 404, a page with a
# form): their next request skips the cache's round trip, and so stores nothing either,
# since it read no generation. Once such an answer could be stored, the address is forgotten
# here and its next request uses the cache again. Per process, at most this many.
UNSTORABLE_LIMIT = 1000

_cache_down_until = 0.0
_bump_owed = False
_unstorable: set[str] = set()


CACHE_ALIAS = "default"


def enabled() -> bool:
    return bool(settings.WIJKPORTAAL_PAGE_CACHE)


def entry_seconds() -> int:
    """How long a stored page lives at most (the generation usually ends it sooner)."""
    return int(settings.WIJKPORTAAL_PAGE_CACHE_SECONDS)


def forget_cache_failure() -> None:
    """Ask the cache again from the next request on (for tests, and after a deploy), also
    for the addresses whose answers could not be stored."""
    global _cache_down_until
    _cache_down_until = 0.0
    _unstorable.clear()


def _cache_is_down() -> bool:
    return time.monotonic() < _cache_down_until


def _cache_failed(error: Exception, doing: str) -> None:
    global _cache_down_until
    _cache_down_until = time.monotonic() + CACHE_RETRY_SECONDS
    logger.warning(
        "The page cache cannot %s (%s: %s); pages are rendered without it for the next %d seconds.",
        doing,
        type(error).__name__,
        error,
        CACHE_RETRY_SECONDS,
    )


def safely(doing: str, call: Callable[[], Any]) -> tuple[bool, Any]:
    """(True, the result) of a cache call, or (False, None) once it failed.

    Every error counts: whatever a cache backend raises (redis-py's ConnectionError and
    TimeoutError, a socket's OSError, a value it cannot read), the visitor gets the page
    rendered as without a cache.
    """
    if _cache_is_down():
        return False, None
    try:
        return True, call()
    except Exception as error:  # noqa: BLE001 (see the docstring)
        _cache_failed(error, doing)
        return False, None


def _new_generation(key: str = GENERATION_KEY) -> int:
    """Bump the counter `key` (the generation of every page by default) and return it.

    A missing counter (a new or emptied Redis, an evicted key) starts from the clock in
    nanoseconds, never from 0: a counter that starts again from a value it had before would
    bring back the pages stored with that value.
    """
    cache = caches[CACHE_ALIAS]
    try:
        return int(cache.incr(key))
    except ValueError:  # no counter yet
        if cache.add(key, time.time_ns(), timeout=None):
            return int(cache.get(key))
        return int(cache.incr(key))  # another process made it in between


def _table_key(table: str) -> str:
    return f"{TABLE_KEY_PREFIX}:{table}"


def _counters(name: str) -> list[str]:
    """The counters a change of `name` bumps: a table's, and for a row of a scoped table
    (`table@scope:value`, see `scope`) that of its scope too; a change of a scoped table not
    told by row (a bulk change) bumps the counter of all its rows (`table@scope:*`)."""
    table, _, scope_and_value = name.partition("@")
    if scope_and_value:
        return [_table_key(table), _table_key(name)]
    if table in _scoped_tables:
        return [_table_key(table), _table_key(f"{table}@{_scoped_tables[table]}:{ANY_ROW}")]
    return [_table_key(table)]


def _bump_counters(tables: Iterable[str]) -> None:
    """The pages' generation, and that of each table (of all of them, without tables)."""
    _new_generation()
    keys = list(dict.fromkeys(key for name in tables for key in _counters(name)))
    for key in keys or [ALL_TABLES_KEY]:
        _new_generation(key)


def _pay_owed_bump() -> bool:
    """Make the bump this process owes (one that failed), if any; False while it fails."""
    global _bump_owed
    if _bump_owed:
        done, _ = safely("bump the generation", lambda: _bump_counters(()))
        if not done:
            return False
        _bump_owed = False
    return True


def current_generation() -> int | None:
    """The generation now, made if there is none; None while the cache fails."""
    if not _pay_owed_bump():
        return None

    def read() -> int:
        value = caches[CACHE_ALIAS].get(GENERATION_KEY)
        return _new_generation() if value is None else int(value)

    done, generation = safely("read the generation", read)
    return generation if done else None


def _generation_and_entry(key: str) -> tuple[int, Any] | None:
    """The generation now and what is stored under `key`, in one round trip to the cache;
    None while the cache fails."""
    if not _pay_owed_bump():
        return None

    def read() -> tuple[int, Any]:
        found = caches[CACHE_ALIAS].get_many([GENERATION_KEY, key])
        if GENERATION_KEY not in found:
            return _new_generation(), None
        return int(found[GENERATION_KEY]), found.get(key)

    done, result = safely("read a page", read)
    return result if done else None


def table_generations(tables: Iterable[str]) -> dict[str, int] | None:
    """The generation of each table now, and of all tables under ALL_TABLES_KEY, in one
    round trip (a counter that is missing is made); None while the cache fails."""
    if not _pay_owed_bump():
        return None
    keys = [ALL_TABLES_KEY, *(_table_key(table) for table in tables)]

    def read() -> dict[str, int]:
        found = caches[CACHE_ALIAS].get_many(keys)
        return {key: int(found[key]) if key in found else _new_generation(key) for key in keys}

    done, generations = safely("read the generations of tables", read)
    if not done:
        return None
    return {key.removeprefix(f"{TABLE_KEY_PREFIX}:"): value for key, value in generations.items()}


def bump_now(*tables: str) -> None:
    """Bump the generation, and that of these tables (of all tables, without any), now, not
    waiting for a commit (`bump` does both); for tests, whose data is rolled back rather
    than committed."""
    global _bump_owed
    done, _ = safely("bump the generation", lambda: _bump_counters(tables))
    if not done:
        # Owed: the next cache use bumps every page and every table.
        _bump_owed = True


def bump(*tables: str) -> None:
    """Make every stored page old: call it for every change anonymous visitors can see, with
    the tables it changed (without any: every table counts as changed).

    It bumps now, inside the transaction of the change, and once more after its commit. The
    first bump ends what was stored before the change; the second ends what was rendered
    while the change was not yet committed (such a page shows the old data but was stored
    with the first bump's generation). Outside a transaction the change is committed already
    and one bump is enough. The saves,
    deletes and many-to-many changes of the models given to `watch` call it themselves;
    `QuerySet.update()` and `bulk_create()` send no signals, so their callers must.
    """
    if not enabled():
        return
    bump_now(*tables)
    if not connection.in_atomic_block:
        return
    # One bump after the commit for all changes of the transaction, of every table they
    # changed. A callback of a savepoint that is rolled back leaves the list, so a later
    # change registers it again; tables of a rolled-back change are bumped all the same.
    _changed_tables().update(tables or (ALL_TABLES_KEY,))
    pending = (entry[1] for entry in connection.run_on_commit)
    if not any(callback is _bump_after_commit for callback in pending):
        transaction.on_commit(_bump_after_commit)


def _changed_tables() -> set[str]:
    """The tables changed in the transaction under way, kept on its connection (each thread
    has its own)."""
    changed: set[str] | None = getattr(connection, "pagecache_changed_tables", None)
    if changed is None:
        changed = set()
        setattr(connection, "pagecache_changed_tables", changed)  # noqa: B010
    return changed


def _bump_after_commit() -> None:
    changed = _changed_tables()
    tables = set(changed)
    changed.clear()
    if ALL_TABLES_KEY in tables:
        bump_now()
    else:
        bump_now(*tables)


# ---- watching the models anonymous visitors see ------------------------------------------


def _bump_on_save(
    sender: type[models.Model],
    instance: models.Model,
    update_fields: Iterable[str] | None = None,
    **kwargs: Any,
) -> None:
    quiet = _quiet_fields.get(sender, frozenset())
    if quiet and update_fields is not None and set(update_fields) <= quiet:
        return
    if sender in _scope_paths and not kwargs.get("raw"):
        before = getattr(instance, SCOPE_BEFORE, None)
        bump(*_scoped_names(sender, {before, _scope_of(instance)}))
    else:
        # A raw save (loading a fixture, whose related rows may come later) is not told by
        # row: it ends the sections of every scope.
        bump(sender._meta.db_table)


def _bump_on_change(sender: type[models.Model], **kwargs: Any) -> None:
    if kwargs.get("action", "post_").startswith("post_"):
        bump(sender._meta.db_table)


def _scope_in_database(sender: type[models.Model], instance: models.Model) -> Any:
    """The scope of the row as the database holds it (before a save or delete)."""
    if instance._state.adding or instance.pk is None:
        return None
    return (
        sender._base_manager.filter(pk=instance.pk)
        .values_list(_scope_paths[sender][1], flat=True)
        .first()
    )


def _scope_of(instance: models.Model) -> Any:
    """The scope of the row as the instance holds it (after its save)."""
    *path, last = _scope_paths[type(instance)][1].split("__")
    target: Any = instance
    for step in path:
        target = getattr(target, step)
        if target is None:
            return None
    return getattr(target, target._meta.get_field(last).attname)


def _scoped_names(sender: type[models.Model], values: Iterable[Any]) -> list[str]:
    """`table@scope:value` for each known value; the table itself when none is known."""
    table = sender._meta.db_table
    scope_name = _scope_paths[sender][0]
    names = [f"{table}@{scope_name}:{value}" for value in values if value is not None]
    return names or [table]


def _remember_scope(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    before = None if kwargs.get("raw") else _scope_in_database(sender, instance)
    setattr(instance, SCOPE_BEFORE, before)


def _bump_on_scoped_delete(
    sender: type[models.Model], instance: models.Model, **kwargs: Any
) -> None:
    bump(*_scoped_names(sender, [_scope_in_database(sender, instance)]))


def scope(name: str, paths: dict[type[models.Model], str]) -> None:
    """Give the rows of these watched models a scope `name`: the value of the lookup `path`
    (`"plan__wijkagenda"` for an action: the agenda its plan is on). A change of a row then
    also bumps the counter of its scope, before and after the change (a row that moves bumps
    both), and a section that reads only rows of one scope (`web.sections.cached_section`'s
    `scope`) is kept with that counter instead of the whole table's: an edit on one agenda
    leaves the sections of every other agenda as they were."""
    for model, path in paths.items():
        table = model._meta.db_table
        if table not in _watched_tables:
            raise ValueError(f"{model._meta.label} is not watched: scope it after watch().")
        _scope_paths[model] = (name, path)
        _scoped_tables[table] = name
        uid = f"pagecache:scope:{model._meta.label}"
        pre_save.connect(_remember_scope, sender=model, weak=False, dispatch_uid=uid)
        pre_delete.connect(_bump_on_scoped_delete, sender=model, weak=False, dispatch_uid=uid)
        post_delete.disconnect(sender=model, dispatch_uid=f"pagecache:{model._meta.label}")


def scoped_generations(name: str, values: Iterable[Any]) -> dict[str, int] | None:
    """The counters of the scope `name` for each of `values`, and of all rows, of every table
    scoped by `name` (made where missing), in one round trip; None while the cache fails."""
    tables = sorted(table for table, scope_name in _scoped_tables.items() if scope_name == name)
    rows = [*dict.fromkeys(values), ANY_ROW]
    generations = table_generations([f"{table}@{name}:{row}" for table in tables for row in rows])
    if generations is None:
        return None
    generations.pop(ALL_TABLES_KEY, None)
    return generations


def in_scope(tables: Iterable[str], name: str, value: Any) -> set[str]:
    """The counters a section keeps that read `tables` only in the scope `name` = `value`:
    for a table scoped by `name`, those of the scope's rows and of all rows, not the table's."""
    kept: set[str] = set()
    for table in tables:
        if _scoped_tables.get(table) == name:
            kept.update((f"{table}@{name}:{value}", f"{table}@{name}:{ANY_ROW}"))
        else:
            kept.add(table)
    return kept


def watched_tables() -> frozenset[str]:
    """The tables whose every change bumps their generation: those of the watched models
    and of their many-to-many relations."""
    return frozenset(_watched_tables)


_quiet_fields: dict[type[models.Model], frozenset[str]] = {}
_watched_tables: set[str] = set()
# Scoped models (`scope`): the scope's name and the lookup to its value; and by table.
_scope_paths: dict[type[models.Model], tuple[str, str]] = {}
_scoped_tables: dict[str, str] = {}
# Where a row's scope before its save is noted on the instance.
SCOPE_BEFORE = "_pagecache_scope_before"
ANY_ROW = "*"


def watch(*watched: type[models.Model], quiet_fields: Iterable[str] = ()) -> None:
    """Bump the generation on every save, delete and many-to-many change of these models.

    Called by each app (its AppConfig.ready) for the models whose rows anonymous visitors can
    see, in whatever page: the admin site, imports and management commands save through the
    same models, so they are covered too. A save with `update_fields` only among
    `quiet_fields` (a user's `last_login`) changes nothing anyone sees and bumps nothing.
    """
    quiet = frozenset(quiet_fields)
    for model in watched:
        if quiet:
            _quiet_fields[model] = quiet
        uid = f"pagecache:{model._meta.label}"
        post_save.connect(_bump_on_save, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_bump_on_change, sender=model, weak=False, dispatch_uid=uid)
        _watched_tables.add(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _bump_on_change, sender=through, weak=False, dispatch_uid=f"{uid}:{field.name}"
            )
            if through is not None:
                _watched_tables.add(through._meta.db_table)


def _bump_after_migrate(**kwargs: Any) -> None:
    # A data migration writes without the models' signals.
    bump()


post_migrate.connect(_bump_after_migrate, weak=False, dispatch_uid="pagecache:migrate")


# ---- the middleware -------------------------------------------------------------------------


def _anonymous_request(request: HttpRequest) -> bool:
    """A GET or HEAD by someone not signed in and with no message waiting for them."""
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGES_COOKIE_NAME", "messages") not in request.COOKIES
    )


def page_key(request: HttpRequest) -> str:
    """The cache key of the answer to this request.

    Everything a stored answer may vary on: the address (scheme, host, path and query), the
    language, whether htmx asks for a fragment and whether the client takes gzip.
    """
    accepts_gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    variant = "|".join(
        (
            request.scheme or "",
            request.META.get("HTTP_HOST", ""),
            request.get_full_path(),
            chosen_language(request),
            request.headers.get("HX-Request", ""),
            "gzip" if accepts_gzip else "",
        )
    )
    digest = hashlib.sha256(variant.encode("utf-8", "surrogateescape")).hexdigest()
    return f"{KEY_PREFIX}:{digest}"


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # a per-visitor token or cookie: not for anyone else
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    directives = {
        part.split("=")[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
        if part
    }
    if directives & {"private", "no-store", "no-cache"}:
        return False
    vary = {part.strip().lower() for part in cc_delim_re.split(response.get("Vary", "")) if part}
    return vary <= KEYED_VARY


def _etag(response: HttpResponse) -> str:
    if not response.has_header("ETag"):
        response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
    return str(response["ETag"])


def _from_entry(entry: tuple[int, int, list[tuple[str, str]], bytes]) -> HttpResponse:
    _, status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def _claim_render(request: HttpRequest, key: str, generation: int) -> tuple[str, Any]:
    """Claim the render of the page under `key` for `generation`, or wait for another's.

    Returns (the claim's key, None) when this request is to render and store the page, and
    ("", the page) when another request rendered it meanwhile, stored with this generation or
    a later one: a page from the data of the moment this request came in or after, so never
    older than what it would have rendered itself. ("", None): render without a claim (a
    HEAD, which stores nothing; a wait that was given up; a cache that fails).
    """
    if request.method != "GET":
        return "", None
    cache = caches[CACHE_ALIAS]
    claim = f"{RENDER_KEY_PREFIX}:{key.rsplit(':', 1)[-1]}:{generation}"
    done, claimed = safely(
        "claim a render", lambda: cache.add(claim, RENDERING, RENDER_WAIT_SECONDS)
    )
    if not done:
        return "", None
    if claimed:
        return claim, None
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(RENDER_POLL_SECONDS)
        done, found = safely("wait for a page", lambda: cache.get_many([key, claim]))
        if not done:
            return "", None
        entry = found.get(key)
        if entry is not None and entry[0] >= generation:
            return "", entry
        if found.get(claim) != RENDERING:
            return "", None  # not stored (a page with a form, an error) or the claim expired
    return "", None


class PageCacheMiddleware:
    """Serve anonymous visitors' pages from the cache, store what may be served again, and
    give every answer to a GET its Cache-Control: public pages `public, max-age=0,
    must-revalidate` with an ETag (a repeat with If-None-Match is a 304), signed-in people's
    `private, no-cache`.

    In MIDDLEWARE after WhiteNoise (static files never get here) and before the session
    middleware, so that a stored page is answered before anything reads a session; the
    answer stored is the one all inner middleware made.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not enabled() or not _anonymous_request(request):
            return self._headers(request, self.get_response(request))
        # The generation is read before the view reads the database, and the answer is
        # stored with it: it is served only while the generation is still the same (module
        # docstring). One key per address; a newer generation's answer replaces it.
        key = page_key(request)
        if key in _unstorable:
            response = self._headers(request, self.get_response(request))
            if isinstance(response, HttpResponse) and _storable(request, response):
                _unstorable.discard(key)
            return response
        found = _generation_and_entry(key)
        if found is None:
            return self._headers(request, self.get_response(request))
        generation, entry = found
        claim = ""
        if entry is None or entry[0] != generation:
            claim, entry = _claim_render(request, key, generation)
        if entry is not None and entry[0] >= generation:
            cached = _from_entry(entry)
            etag = cached.get("ETag")
            return get_conditional_response(request, etag=etag, response=cached) or cached
        stored = False
        try:
            response = self._headers(request, self.get_response(request))
            if isinstance(response, HttpResponse) and _storable(request, response):
                etag = _etag(response)
                page = (generation, response.status_code, list(response.items()), response.content)
                stored, _ = safely(
                    "store a page", lambda: caches[CACHE_ALIAS].set(key, page, entry_seconds())
                )
                return get_conditional_response(request, etag=etag, response=response) or response
        finally:
            if claim and not stored:
                # Those waiting for this render stop waiting and render the page themselves.
                safely("end a render", lambda: caches[CACHE_ALIAS].set(claim, NOT_STORED, 1))
        if request.method == "GET":
            if len(_unstorable) >= UNSTORABLE_LIMIT:
                _unstorable.clear()
            _unstorable.add(key)
        return response

    def _headers(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        """Cache-Control for an answer to GET or HEAD that has none of its own."""
        if request.method not in SAFE_METHODS or response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or response.cookies:
            # Someone's own page, or one that gives a visitor a cookie of their own (the
            # CSRF token of a sign-in form): for nobody else.
            patch_cache_control(response, **PRIVATE_CACHE_CONTROL)
        elif response.status_code == 200:
            # Vary: Cookie comes from the session middleware, whenever the answer read the
            # session (who is signed in) and so may be another for someone signed in.
            patch_cache_control(response, **PUBLIC_CACHE_CONTROL)
        return response
