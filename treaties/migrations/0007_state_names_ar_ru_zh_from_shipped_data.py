"""Fill the Arabic, Russian and Chinese names of States already in the database from treaties/data/states.csv.

Without this a registry loaded before 0006 would address notes in those languages with the English name until
someone re-imported the States. Only names still empty are filled, so nothing an administrator entered is
overwritten; a fresh database has no States and skips it.
"""

import csv
from pathlib import Path

from django.db import migrations
from django.db.models import Q

STATES_CSV = Path(__file__).resolve().parent.parent / "data" / "states.csv"
# The file's column (content language code) and the model's field (modeltranslation's suffix).
COLUMNS = {"name_ar": "name_ar", "name_ru": "name_ru", "name_zh": "name_zh_hans"}


def fill(apps, schema_editor):
    State = apps.get_model("treaties", "State")
    missing = Q()
    for field in COLUMNS.values():
        missing |= Q(**{f"{field}__isnull": True}) | Q(**{field: ""})
    pending = {state.iso3: state for state in State.objects.filter(missing)}
    if not pending or not STATES_CSV.is_file():
        return
    with STATES_CSV.open(encoding="utf-8-sig", newline="") as file:
        rows = {row["iso3"]: row for row in csv.DictReader(file)}
    changed = []
    for iso3, state in pending.items():
        row = rows.get(iso3)
        if not row:
            continue
        for column, field in COLUMNS.items():
            if not getattr(state, field) and row.get(column):
                setattr(state, field, row[column])
        changed.append(state)
    State.objects.bulk_update(changed, list(COLUMNS.values()))


class Migration(migrations.Migration):
    dependencies = [("treaties", "0006_translated_fields")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
