"""The pages people reopen all day, kept until the data changes (``data_version.cached_page``).

One list, at the top layer, so the apps below know nothing of caching: a view is written as if every
request were the first, and this middleware serves the kept copy when nothing it could show has changed.
A kept page is served only to the user it was made for (visitors who are not signed in share one copy
of a public page), for the same day, language and address; any write to the database starts new copies.
"""

from django.http import HttpRequest

from common.data_version import cached_page

# URL name -> whether visitors who are not signed in share a kept copy (public pages only).
KEPT_PAGES: dict[str, bool] = {
    # The secretariat: the dashboard, the review queue, the credentials report and cost shares are reopened
    # after each look at a delegation; the dashboard's figures alone cost ~35 ms.
    "admin:index": False,
    "admin:registration_delegation_changelist": False,
    "registration:credentials_report": False,
    "obligations:cost_shares": False,
    "registration:participants": False,
    "registration:participants_file": False,
    # Focal points: their registrations and the delegation form (~50 fields) while they fill it in.
    "registration:mine": False,
    "registration:delegation": False,
    # Public: the list of meetings (1,000 and more) and each meeting's page.
    "meetings:list": True,
    "meetings:detail": True,
}


class KeptPagesMiddleware:
    """Last in MIDDLEWARE, so every other middleware's checks (two-factor for staff, CSRF) have run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name not in KEPT_PAGES:
            return None
        return cached_page(
            request,
            match.view_name,
            lambda: view_func(request, *view_args, **view_kwargs),
            anonymous=KEPT_PAGES[match.view_name],
        )
