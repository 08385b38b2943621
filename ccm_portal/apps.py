from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "ccm_portal.admin_site.PortalAdminSite"
