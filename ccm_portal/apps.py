from django.contrib.admin.apps import AdminConfig
from django.core.signals import request_started
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class PortalAdminConfig(AdminConfig):
    default_site = "ccm_portal.admin_site.PortalAdminSite"

    def ready(self) -> None:
        super().ready()
        from common import data_version

        from .accounts import site_sync

        # Also after a test flush, which empties the table and re-sends post_migrate.
        post_migrate.connect(site_sync, sender=self, dispatch_uid="ccm_portal.site_sync")
        # Cached figures are keyed by the data's version, which every write moves on (data_version.py).
        connection_created.connect(data_version.watch_connection, dispatch_uid="ccm_portal.watch_connection")
        request_started.connect(data_version.on_request_started, dispatch_uid="ccm_portal.data_version_request")
