"""Fill the Spanish names and the articles of States already in the database from treaties/data/states.csv.

Without this a registry loaded before 0004 would address Spanish notes with the English name
until someone re-imported the States. Only rows that have no Spanish name yet are touched, so
nothing an administrator entered is overwritten; a fresh database has no States and skips it.
"""

import csv
from pathlib import Path

from django.db import migrations

STATES_CSV = Path(__file__).resolve().parent.parent / "data" / "states.csv"


def fill(apps, schema_editor):
    State = apps.get_model("treaties", "State")
    pending = {state.iso3: state for state in State.objects.filter(name_es="")}
    if not pending or not STATES_CSV.is_file():
        return
    with STATES_CSV.open(encoding="utf-8-sig", newline="") as file:
        rows = {row["iso3"]: row for row in csv.DictReader(file)}
    changed = []
    for iso3, state in pending.items():
        row = rows.get(iso3)
        if row and row.get("name_es"):
            state.name_es = row["name_es"]
            state.article_fr = row.get("article_fr", "")
            state.article_es = row.get("article_es", "")
            changed.append(state)
    State.objects.bulk_update(changed, ["name_es", "article_fr", "article_es"])


class Migration(migrations.Migration):
    dependencies = [("treaties", "0004_state_spanish_name_and_articles")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
