from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_treaties(sender, apps=None, **kwargs) -> None:
    # A database flush (as in transactional tests) empties tables without re-running the data
    # migration; the treaties are definitions the rest of the portal cannot work without.
    # The model as the database has it now (``apps``): a migration back to an older schema runs this too.
    from .reference import treaties_ensure, treaty_names_fill

    Treaty = apps.get_model("treaties", "Treaty") if apps is not None else sender.get_model("Treaty")
    treaties_ensure(Treaty)
    if any(field.name == "name_en" for field in Treaty._meta.get_fields()):
        treaty_names_fill(Treaty)


class TreatiesConfig(AppConfig):
    name = "treaties"
    verbose_name = _("Treaty registry")

    def ready(self) -> None:
        post_migrate.connect(_ensure_treaties, sender=self)
