"""The text and trigram indexes of the search (portal/search.py) on this app's tables:
PostgreSQL only (web.search.SearchIndexes); the embedded SQLite needs none."""

from django.db import migrations

from web.search import SearchIndexes


class Migration(migrations.Migration):
    dependencies = [
        ("pacts", "0002_staff_administrator"),
    ]

    operations = [
        SearchIndexes("partnerorganisation", ("name", "description"), "pacts_org"),
        SearchIndexes("pact", ("name", "summary"), "pacts_pact"),
    ]
