from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_migrate


class PortalAdminConfig(AdminConfig):
    default_site = "ccm_portal.admin_site.PortalAdminSite"

    def ready(self) -> None:
        super().ready()
        from .accounts import site_sync

        # Also after a test flush, which empties the table and re-sends post_migrate.
        post_migrate.connect(site_sync, sender=self, dispatch_uid="ccm_portal.site_sync")
