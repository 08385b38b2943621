from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = _("Registration")

    def ready(self):
        # Correspondence sits below registration: it learns from here who asked or was invited to a meeting.
        from correspondence.selectors import INTERESTED_ORGANISATION_SOURCES

        from .selectors import interested_organisation_ids

        if interested_organisation_ids not in INTERESTED_ORGANISATION_SOURCES:
            INTERESTED_ORGANISATION_SOURCES.append(interested_organisation_ids)
