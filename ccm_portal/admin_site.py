from django.contrib import admin
from django.utils import timezone

from registration.permissions import is_secretariat

from .dashboard import dashboard


class PortalAdminSite(admin.AdminSite):
    """The Django admin as the secretariat's working tool: its index page is the dashboard."""

    site_header = "CCM Portal – Secretariat"
    site_title = "CCM Portal"
    index_title = "Dashboard"
    index_template = "admin/dashboard.html"

    def get_app_list(self, request, app_label=None):
        # The index asks twice (its list, and each_context's for the sidebar): build it once per request.
        if app_label is not None:
            return super().get_app_list(request, app_label)
        if not hasattr(request, "_portal_app_list"):
            request._portal_app_list = super().get_app_list(request)
        return request._portal_app_list

    def index(self, request, extra_context=None):
        extra = {"dashboard": dashboard(today=timezone.localdate())} if is_secretariat(request.user) else {}
        return super().index(request, extra_context={**extra, **(extra_context or {})})
