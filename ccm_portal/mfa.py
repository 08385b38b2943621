"""Two-factor sign-in (TOTP) is required of secretariat and presidency staff, optional for everyone else."""

from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_removed
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from common.roles import PRESIDENCY, SECRETARIAT, group_names

# Pages a staff member without TOTP can still reach: to set it up, or to leave.
OPEN_PREFIXES = ("/accounts/", "/static/", "/media/", "/favicon")


def requires_two_factor(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.is_staff or bool({SECRETARIAT, PRESIDENCY} & group_names(user))


# Set in a session once its user was seen with TOTP, so that staff pages do not ask the database again on
# every request; removed when the user deactivates TOTP (a new sign-in checks afresh).
TWO_FACTOR_SESSION_KEY = "ccm_two_factor_user"


def has_two_factor(user, session=None) -> bool:
    if session is not None and session.get(TWO_FACTOR_SESSION_KEY) == user.pk:
        return True
    found = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    if found and session is not None:
        session[TWO_FACTOR_SESSION_KEY] = user.pk
    return found


@receiver(authenticator_removed)
def _forget_two_factor(sender, request, user, authenticator, **kwargs) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        request.session.pop(TWO_FACTOR_SESSION_KEY, None)


class RequireTwoFactorForStaffMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.path == reverse("admin:login") and not (user and user.is_authenticated):
            # Django's admin login checks the password only: everyone signs in through allauth,
            # which asks staff for their TOTP code.
            next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
            return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
        if (
            user is not None
            and not request.path.startswith(OPEN_PREFIXES)
            and requires_two_factor(user)
            and not has_two_factor(user, request.session)
        ):
            messages.warning(
                request, gettext("Staff accounts need two-factor sign-in. Set up an authenticator app to continue.")
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
