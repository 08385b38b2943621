"""Accounts (django-allauth): who signs up, what they are asked, how they are named, and the site their
e-mails name."""

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse, translate_url
from django.utils import translation

from ccm_portal.i18n import LANGUAGE_CODES, language_cookie_set
from registration import services as registration_services
from registration.forms import ProfileForm


def user_display(user) -> str:
    """How the portal names a person: "Amina Okonkwo", or the e-mail address for accounts without a name."""
    return user.get_full_name() or user.email or user.get_username()


def profile_language(user) -> str:
    """The interface language the person chose (their profile), or "" when they have not chosen one."""
    if user is None or not getattr(user, "pk", None):
        return ""
    try:
        language = user.profile.language
    except ObjectDoesNotExist:
        return ""
    return language if language in LANGUAGE_CODES else ""


def site_sync(**kwargs) -> None:
    """The Sites row follows SITE_NAME and SITE_URL: allauth's e-mails and pages name the portal from it."""
    from django.contrib.sites.models import Site

    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"name": settings.SITE_NAME, "domain": urlsplit(settings.SITE_URL).netloc or "localhost"},
    )


class SignupForm(ProfileForm):
    """Allauth's sign-up hook: sign-up also asks the person's name and ministry or mission.

    The secretariat reads them when it approves a focal point; e-mails and pages greet the person by name.
    """

    field_order = ["first_name", "last_name", "affiliation", "email", "password1", "password2"]

    def signup(self, request, user) -> None:
        # The fields are required and stripped, so the service's own checks always pass here.
        registration_services.profile_update(
            user=user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            affiliation=self.cleaned_data["affiliation"],
        )


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up creates a plain account. Roles are given only by the secretariat, in the admin."""

    def get_login_redirect_url(self, request):
        # Staff land on the secretariat dashboard; focal points on their registrations.
        if request.user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)

    def post_login(self, request, user, **kwargs):
        # The language the person chose on an earlier visit becomes the active one: put back in the cookie
        # here, once, so that no later request has to read the profile for it.
        response = super().post_login(request, user, **kwargs)
        language = profile_language(user)
        if language and response is not None:
            translation.activate(language)
            if response.has_header("Location"):
                # A prefixed page (/en/meetings/...) opens in the chosen language; other addresses are unchanged.
                response["Location"] = translate_url(response["Location"], language)
            language_cookie_set(response, language)
        return response

    def send_mail(self, template_prefix, email, context):
        # Every e-mail is signed by the office that runs the portal, with the portal's address.
        context = {**context, "site_office": settings.SITE_OFFICE, "site_url": settings.SITE_URL.rstrip("/")}
        # In the recipient's language: the one they chose (their profile), else the one they are reading now
        # (at sign-up, the language of the page they signed up on).
        language = profile_language(context.get("user")) or translation.get_language()
        with translation.override(language):
            return super().send_mail(template_prefix, email, context)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.is_staff = user.is_superuser = False
        if commit:
            user.save()
        return user
