from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_treaties(sender, **kwargs) -> None:
    # A database flush (as in transactional tests) empties tables without re-running the data
    # migration; the treaties are definitions the rest of the portal cannot work without.
    from .models import Treaty
    from .reference import treaties_ensure, treaty_names_fill

    treaties_ensure(Treaty)
    treaty_names_fill(Treaty)


class TreatiesConfig(AppConfig):
    name = "treaties"
    verbose_name = _("Treaty registry")

    def ready(self) -> None:
        post_migrate.connect(_ensure_treaties, sender=self)
