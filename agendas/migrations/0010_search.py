"""The search (portal/search.py): the published texts of every public agenda as its latest
version has them, and the text and trigram indexes of the searched tables (PostgreSQL only,
web.search.SearchIndexes; the embedded SQLite needs none)."""

from django.db import migrations

from web.search import SearchIndexes

PUBLIC_STATUSES = ("published", "archived")


def _theme_name(theme):
    """The theme of an item in a snapshot: its fields, or (in older snapshots) its name."""
    return theme.get("name", "") if isinstance(theme, dict) else (theme or "")


def fill_published_texts(apps, schema_editor):
    Wijkagenda = apps.get_model("agendas", "Wijkagenda")
    WijkagendaVersion = apps.get_model("agendas", "WijkagendaVersion")
    PublishedText = apps.get_model("agendas", "PublishedText")
    rows = []
    for agenda in Wijkagenda.objects.filter(status__in=PUBLIC_STATUSES).only("pk", "version"):
        version = WijkagendaVersion.objects.filter(wijkagenda=agenda, number=agenda.version).first()
        if version is None:
            continue
        snapshot = version.snapshot
        rows.append(
            PublishedText(
                wijkagenda_id=agenda.pk,
                kind="agenda",
                title=snapshot.get("title", ""),
                description=snapshot.get("summary", ""),
            )
        )
        rows.extend(
            PublishedText(
                wijkagenda_id=agenda.pk,
                kind="item",
                item_id=item["id"],
                theme=_theme_name(item.get("theme")),
                title=item.get("title", ""),
                description=item.get("description", ""),
            )
            for item in snapshot.get("items", [])
        )
    PublishedText.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("agendas", "0009_published_texts"),
    ]

    operations = [
        # The indexes first: PostgreSQL makes none on a table with rows inserted in the same
        # transaction whose foreign-key checks are still pending.
        SearchIndexes("publishedtext", ("title", "description"), "agendas_pubtext"),
        SearchIndexes("plan", ("title", "description"), "agendas_plan"),
        SearchIndexes("action", ("title", "description"), "agendas_action"),
        migrations.RunPython(fill_published_texts, migrations.RunPython.noop),
    ]
