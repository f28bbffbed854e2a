"""The text and trigram indexes of the search (portal/search.py) on this app's tables:
PostgreSQL only (web.search.SearchIndexes); the embedded SQLite needs none."""

from django.db import migrations

from web.search import SearchIndexes


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0007_initiative_area"),
    ]

    operations = [
        SearchIndexes("proposal", ("title", "body"), "participation_proposal"),
    ]
