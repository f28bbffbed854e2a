"""Give the moved tables their own app's names, and move their content types.

Renaming keeps every row and id; the content types keep their ids too, so follows,
reminders, change records and permissions that point at these models stay valid.
"""

from django.db import migrations

MODELS = ['reminder', 'report']


def move_content_types(apps, schema_editor, source="agendas", target="followup"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        # A content type made for the new label before this ran (none in practice) would
        # block the update; the old one has the references, so it wins.
        if ContentType.objects.filter(app_label=source, model=model).exists():
            ContentType.objects.filter(app_label=target, model=model).delete()
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="followup", target="agendas")


class Migration(migrations.Migration):

    dependencies = [
        ('followup', '0001_initial'),
        ('agendas', '0007_move_out_participation_meetings_followup'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterModelTable(name='reminder', table=None),
        migrations.AlterModelTable(name='report', table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
