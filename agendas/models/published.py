"""What the public sees of each published agenda, as rows the search can index.

A published agenda is shown to the public as its latest version has it (`agendas.publication`),
while its team edits on: the live items may already say what nobody outside the team may read
yet. The search (`portal/search.py`) therefore reads these rows, written from the version's
snapshot each time the agenda is published: one for the agenda (its title and summary) and
one per item. They are the version's text, and nothing else.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from agendas.models.wijkagendas import PUBLIC_STATUSES, Wijkagenda


class PublishedTextQuerySet(models.QuerySet["PublishedText"]):
    def public(self) -> PublishedTextQuerySet:
        """Of the agendas that are public now (published or archived)."""
        return self.filter(wijkagenda__status__in=PUBLIC_STATUSES)

    def agendas(self) -> PublishedTextQuerySet:
        return self.filter(kind=PublishedText.Kind.AGENDA)

    def items(self) -> PublishedTextQuerySet:
        return self.filter(kind=PublishedText.Kind.ITEM)

    def replace(self, wijkagenda_id: int, snapshot: dict[str, Any]) -> None:
        """Replace an agenda's published texts with those of its new version's snapshot."""
        self.filter(wijkagenda_id=wijkagenda_id).delete()
        self.bulk_create(texts_of(wijkagenda_id, snapshot))


class PublishedText(models.Model):
    """The title and text of a published agenda or of one of its items, as last published."""

    class Kind(models.TextChoices):
        AGENDA = "agenda", _("wijkagenda")
        ITEM = "item", _("agenda item")

    wijkagenda = models.ForeignKey(
        Wijkagenda,
        verbose_name=_("wijkagenda"),
        on_delete=models.CASCADE,
        related_name="published_texts",
    )
    kind = models.CharField(_("kind"), max_length=6, choices=Kind)
    # The item's id in the published version (the item itself may have been deleted since).
    item_id = models.PositiveIntegerField(_("item"), null=True, blank=True)
    theme = models.CharField(_("theme"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("text"), blank=True)

    objects = PublishedTextQuerySet.as_manager()

    class Meta:
        verbose_name = _("published text")
        verbose_name_plural = _("published texts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="agenda", item_id__isnull=True)
                | models.Q(kind="item", item_id__isnull=False),
                name="agendas_publishedtext_item_of_item",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        url = self.wijkagenda.get_absolute_url()
        return f"{url}#item-{self.item_id}" if self.kind == self.Kind.ITEM else url


def _theme_name(theme: dict[str, Any] | str | None) -> str:
    """The theme of an item in a snapshot: its fields, or (in older snapshots) its name."""
    return theme.get("name", "") if isinstance(theme, dict) else (theme or "")


def texts_of(wijkagenda_id: int, snapshot: dict[str, Any]) -> list[PublishedText]:
    """The rows of a version's snapshot (`Wijkagenda.snapshot()`), not yet saved."""
    agenda = PublishedText(
        wijkagenda_id=wijkagenda_id,
        kind=PublishedText.Kind.AGENDA,
        title=snapshot.get("title", ""),
        description=snapshot.get("summary", ""),
    )
    items = [
        PublishedText(
            wijkagenda_id=wijkagenda_id,
            kind=PublishedText.Kind.ITEM,
            item_id=item["id"],
            theme=_theme_name(item.get("theme")),
            title=item.get("title", ""),
            description=item.get("description", ""),
        )
        for item in snapshot.get("items", [])
    ]
    return [agenda, *items]
