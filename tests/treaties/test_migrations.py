"""Data migrations of the registry, run against a database that already holds States."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("treaties", "0003_iso_code_validators")]
AFTER = [("treaties", "0005_state_spanish_names_from_shipped_data")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def back_to_the_latest_schema(transactional_db):
    """The tests after these need every migration applied again (later migrations exist now)."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_states_loaded_before_the_spanish_names_get_them_from_the_shipped_data():
    old_apps = migrate(BEFORE)
    State = old_apps.get_model("treaties", "State")
    State.objects.create(iso2="BR", iso3="BRA", iso_numeric="076", name_en="Brazil", name_fr="Brésil")
    State.objects.create(iso2="XA", iso3="XAA", iso_numeric="901", name_en="Testland", name_fr="Terre de test")

    State = migrate(AFTER).get_model("treaties", "State")

    assert list(State.objects.order_by("iso3").values_list("iso3", "article_fr", "name_es", "article_es")) == [
        ("BRA", "le", "Brasil", "el"),
        ("XAA", "", "", ""),  # not in the shipped data: left for an administrator
    ]
