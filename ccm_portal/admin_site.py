from django.contrib import admin
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _

from common.data_version import cached
from common.roles import PRESIDENCY, SECRETARIAT, group_names, is_secretariat
from correspondence.selectors import presidency_home, user_offices

from .dashboard import dashboard_cached


def role_line(user) -> str:
    """“Presidency office · Permanent Mission of Iraq”, “Secretariat · UNODA”: who the header says is signed in."""
    if not (user.is_authenticated and user.is_staff):
        return ""
    groups = group_names(user)
    # The groups' names are code names (common.roles); what the header says is in the reader's language.
    role = (
        gettext("Secretariat")
        if SECRETARIAT in groups
        else pgettext("role", "Presidency office")
        if PRESIDENCY in groups
        else gettext("Administrator")
        if user.is_superuser
        else gettext("Staff")
    )
    return " · ".join([role, *(office.label for office in user_offices(user))])


class PortalAdminSite(admin.AdminSite):
    """The Django admin as the staff's working tool: its index page is the dashboard."""

    site_header = _("CCM Portal")
    site_title = _("CCM Portal")
    index_title = _("Dashboard")
    index_template = "admin/dashboard.html"
    # Lists, review screens and notes need the page's width; the first page lists every record type.
    enable_nav_sidebar = False

    def each_context(self, request):
        user = request.user
        line = cached(f"role-line:{user.pk}:{get_language()}", lambda: role_line(user)) if user.is_authenticated else ""
        return {**super().each_context(request), "portal_role": line}

    def get_app_list(self, request, app_label=None):
        # The index asks twice (its list, and each_context's for the sidebar): build it once per request.
        # Lazily: each_context asks on every admin page, for the sidebar this site does not show, and
        # building it (a permission check and two reverses per model) was 2.5 ms of every list's first view.
        if app_label is not None:
            return super().get_app_list(request, app_label)
        if not hasattr(request, "_portal_app_list"):
            request._portal_app_list = SimpleLazyObject(lambda: super(PortalAdminSite, self).get_app_list(request))
        return request._portal_app_list

    def index(self, request, extra_context=None):
        # Kept until the data changes (kept_pages.py): the first page of every visit.
        today = timezone.localdate()
        if is_secretariat(request.user):
            extra = {"dashboard": dashboard_cached(today=today)}
        else:  # a presidency office's notes, meetings and dispatches (templates/admin/_presidency_home.html)
            extra = {"presidency_home": presidency_home(user=request.user, today=today)}
        return super().index(request, extra_context={**extra, **(extra_context or {})})
