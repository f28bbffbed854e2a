"""Full-text search that imports no app: PostgreSQL's Dutch text search, trigram similarity for
typing errors, and the plain fallback of the embedded SQLite.

On PostgreSQL a model's searchable columns are matched twice: as Dutch words
(`to_tsvector('dutch', …) @@ websearch_to_tsquery('dutch', …)`, so that "speeltuinen" finds
"speeltuin"), and the first of them, its title or name, by trigram word similarity (`<%`,
pg_trgm), so that "moestiun" finds "moestuin". Only the title: checking a close spelling in a
long text costs a hundred times more, for a few hundred candidates the index cannot rule out.
Both have GIN indexes (`SearchIndexes`, added by each app's migration for its own tables);
the expression of the text index is the one `search_filter` builds from the same
columns, or PostgreSQL would not use it. On SQLite every word of the query must occur in one
of the columns (case-insensitive `LIKE`): no stemming, no typos, and fine for the demo.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.migrations.operations.base import Operation
from django.db.models import F, Q, QuerySet

CONFIG = "dutch"
# At most this many characters of query; a longer one is refused with a message.
MAX_QUERY_LENGTH = 200
# At most this many words are looked for on SQLite (each is one LIKE per column).
MAX_FALLBACK_WORDS = 8


def full_text() -> bool:
    """Whether the database searches Dutch words and typos (PostgreSQL), or only substrings."""
    return connection.vendor == "postgresql"


def vector(fields: Sequence[str]) -> SearchVector:
    """The text-search document of these columns: the expression of the GIN index too."""
    return SearchVector(*fields, config=CONFIG)


def search_filter(queryset: QuerySet[Any], fields: Sequence[str], text: str) -> QuerySet[Any]:
    """`queryset` narrowed to what matches `text`, best first.

    PostgreSQL: Dutch words in any column, or a close spelling in the title; those whose title
    is closest to the query first, then the newest. Not by text rank (`ts_rank`): it reads the
    whole text of every match again, 50-150 ms for a word that hundreds of texts hold, where
    the title's closeness costs little. SQLite: every word in some column, newest first.
    """
    if not full_text():
        words = text.split()[:MAX_FALLBACK_WORDS]
        condition = Q()
        for word in words:
            condition &= Q(
                *(Q(**{f"{field}__icontains": word}) for field in fields), _connector=Q.OR
            )
        return queryset.filter(condition).order_by("-pk")
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    title = fields[0]
    return (
        queryset.annotate(
            search_document=vector(fields), closeness=TrigramWordSimilarity(text, title)
        )
        .filter(Q(search_document=query) | Q(**{f"{title}__trigram_word_similar": text}))
        .order_by("-closeness", "-pk")
    )


class SearchIndexes(Operation):
    """A migration operation: the GIN indexes `search_filter` uses on one model (the text of
    all `fields`, the trigrams of the first), and the pg_trgm extension.

    Only on PostgreSQL; on SQLite it does nothing (the fallback needs no index). The indexes
    are not part of the model's state: they serve the search, and no model field names them.
    """

    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name: str, fields: Sequence[str], prefix: str) -> None:
        self.model_name = model_name
        self.fields = tuple(fields)
        self.prefix = prefix

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            self.__class__.__qualname__,
            [],
            {"model_name": self.model_name, "fields": self.fields, "prefix": self.prefix},
        )

    def indexes(self) -> list[GinIndex]:
        return [
            GinIndex(vector(self.fields), name=f"{self.prefix}_text"),
            GinIndex(
                OpClass(F(self.fields[0]), name="gin_trgm_ops"),
                name=f"{self.prefix}_{self.fields[0]}_trgm",
            ),
        ]

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        model = to_state.apps.get_model(app_label, self.model_name)
        for index in self.indexes():
            schema_editor.add_index(model, index)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        for index in self.indexes():
            schema_editor.remove_index(model, index)

    def describe(self) -> str:
        return f"Search indexes on {self.model_name} ({', '.join(self.fields)})"
