"""The two treaties, with their legal facts (treaties/reference.py). Other reference data loads from treaties/data."""

from django.db import migrations

from treaties.reference import treaties_ensure


def create_treaties(apps, schema_editor):
    treaties_ensure(apps.get_model("treaties", "Treaty"))


class Migration(migrations.Migration):
    dependencies = [("treaties", "0001_initial")]
    operations = [migrations.RunPython(create_treaties, migrations.RunPython.noop)]
