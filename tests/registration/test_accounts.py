"""Accounts: sign-up and sign-in by e-mail, mandatory verification, password reset, rate limits,
two-factor sign-in for staff, the portal's look on allauth pages, and no self-made privileges."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ccm_portal.accounts import site_sync
from common.roles import SECRETARIAT, roles_sync
from registration.models import FocalPoint, Profile
from tests.factories import StateFactory, UserFactory, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # UserFactory's
NEW_PASSWORD = "Quiet-Harbour-Lantern-2032"


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """allauth keeps rate-limit counters and used TOTP codes in the cache: keep them to this test."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "accounts"}}
    cache.clear()
    yield
    cache.clear()


def _verified(user, *, verified: bool = True):
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _focal_point():
    user = _verified(UserFactory())
    FocalPoint.objects.create(user=user, state=StateFactory(), approved_at=timezone.now())
    return user


def _secretariat_group() -> Group:
    roles_sync()
    return Group.objects.get(name=SECRETARIAT)


# --- sign-up and sign-in by e-mail ------------------------------------------------------------------------------------


SIGNUP = {
    "first_name": "Amina",
    "last_name": "Okonkwo",
    "affiliation": "Permanent Mission of Nigeria, Geneva",
    "email": "new.focal@example.org",
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
}


def test_signup_asks_the_name_the_ministry_or_mission_the_email_and_a_password(client):
    response = client.get(reverse("account_signup"))

    assert response.status_code == 200
    assert list(response.context["form"].fields) == [
        "first_name",
        "last_name",
        "affiliation",
        "email",
        "password1",
        "password2",
    ]
    text = response.content.decode()
    assert 'name="username"' not in text
    for label in ("Given name", "Family name", "Ministry or mission"):
        assert label in text


def test_signup_creates_an_unverified_account_and_sends_the_confirmation(client):
    response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not _signed_in(client)
    address = EmailAddress.objects.get(email="new.focal@example.org")
    assert not address.verified
    (message,) = mail.outbox
    assert message.to == ["new.focal@example.org"]
    assert "/accounts/confirm-email/" in message.body


def test_signup_keeps_the_name_and_the_ministry_or_mission(client):
    client.post(reverse("account_signup"), SIGNUP)

    user = get_user_model().objects.get(email="new.focal@example.org")
    assert (user.first_name, user.last_name) == ("Amina", "Okonkwo")
    assert Profile.objects.get(user=user).affiliation == "Permanent Mission of Nigeria, Geneva"


@pytest.mark.parametrize("missing", ["first_name", "last_name", "affiliation"])
def test_signup_without_a_name_or_a_ministry_is_refused_with_a_message(client, missing):
    response = client.post(reverse("account_signup"), {**SIGNUP, missing: "  "})

    assert response.status_code == 200
    assert response.context["form"].errors[missing] == ["This field is required."]
    assert not get_user_model().objects.filter(email="new.focal@example.org").exists()


def test_the_confirmation_email_names_the_portal_and_the_office_never_example_com(client, settings):
    settings.SITE_URL = "https://meetings.example.int"
    site_sync()

    client.post(reverse("account_signup"), SIGNUP)

    (message,) = mail.outbox
    assert message.subject == "[CCM Portal] Confirm your e-mail address"
    assert "example.com" not in message.body and "example.com" not in message.subject
    assert message.body.startswith("Dear Amina Okonkwo,")
    assert "an account on the CCM Portal, in the name of Amina Okonkwo" in message.body
    assert message.body.rstrip().endswith("Office for Disarmament Affairs\nCCM Portal · https://meetings.example.int")


def test_the_site_follows_site_name_and_site_url(settings):
    settings.SITE_NAME, settings.SITE_URL = "Treaty Meetings Portal", "https://meetings.example.int/"
    site_sync()

    site = Site.objects.get_current()
    assert (site.name, site.domain) == ("Treaty Meetings Portal", "meetings.example.int")


def test_the_site_is_right_after_migrate_not_example_com():
    # migrate ran for the test database: the post_migrate handler replaced Django's example.com.
    site = Site.objects.get_current()
    assert site.name == "CCM Portal" and site.domain != "example.com"


def test_login_is_by_email_not_username(client):
    user = _verified(UserFactory(username="jdoe", email="jane.doe@example.org"))

    refused = client.post(reverse("account_login"), {"login": "jdoe", "password": PASSWORD})
    assert refused.status_code == 200
    assert refused.context["form"].errors
    assert not _signed_in(client)

    response = client.post(reverse("account_login"), {"login": "jane.doe@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/register/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_unverified_email_cannot_sign_in(client):
    user = _verified(UserFactory(email="unverified@example.org", username="unverified@example.org"), verified=False)

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not _signed_in(client)
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert client.get("/register/")["Location"].startswith(reverse("account_login"))


def test_password_reset_by_email_link(client):
    user = _verified(UserFactory())

    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    (message,) = mail.outbox
    assert message.to == [user.email]
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", message.body).group(1)

    # The key moves into the session; the form lives at a URL without it.
    response = client.get(path)
    assert response.status_code == 302
    form_url = response["Location"]
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)
    response = Client().post(reverse("account_login"), {"login": user.email, "password": NEW_PASSWORD})
    assert response.status_code == 302
    # The link works once.
    assert client.get(path, follow=True).context.get("token_fail") is True


def test_password_reset_for_an_unknown_address_sends_nothing_revealing(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert all("/accounts/password/reset/key/" not in m.body for m in mail.outbox)


# --- rate limits ------------------------------------------------------------------------------------------------------


def test_login_rate_limits_are_configured(settings):
    limits = settings.ACCOUNT_RATE_LIMITS
    assert limits is not False
    for action in ("login", "login_failed", "signup", "reset_password", "confirm_email"):
        assert limits.get(action), f"allauth rate limit {action!r} is off"


def test_failed_logins_from_one_ip_are_throttled(settings):
    """10 failed sign-ins a minute per IP: the next attempt is refused, even with the right password."""
    per_ip = next(rule for rule in settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",") if rule.endswith("/ip"))
    allowed = int(per_ip.split("/")[0])
    user = _verified(UserFactory())
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for i in range(allowed):
        # Different addresses, so that only the per-IP limit is reached.
        response = attacker.post(reverse("account_login"), {"login": f"guess{i}@example.org", "password": "wrong"})
        assert response.status_code == 200
        assert "Too many failed login attempts" not in response.content.decode()

    response = attacker.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()
    assert not _signed_in(attacker)
    # Someone else, from another address, is not affected.
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert other.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}).status_code == 302


def test_failed_logins_for_one_account_are_throttled(settings):
    """5 wrong passwords for one address lock that address for a while, whatever the IP."""
    user = _verified(UserFactory())
    for i in range(5):
        client = Client(REMOTE_ADDR=f"192.0.2.{i + 1}")
        assert client.post(reverse("account_login"), {"login": user.email, "password": "wrong"}).status_code == 200

    client = Client(REMOTE_ADDR="192.0.2.99")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert not _signed_in(client)


def test_too_many_login_requests_from_one_ip_get_429(settings):
    per_ip = next(rule for rule in settings.ACCOUNT_RATE_LIMITS["login"].split(",") if rule.endswith("/ip"))
    allowed = int(per_ip.split("/")[0])
    client = Client(REMOTE_ADDR="203.0.113.50")
    statuses = [
        client.post(reverse("account_login"), {"login": "", "password": ""}).status_code for _ in range(allowed + 1)
    ]

    assert statuses[:allowed] == [200] * allowed
    assert statuses[-1] == 429


# --- two-factor sign-in -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["staff", "superuser", "secretariat group"])
def test_staff_without_totp_must_set_it_up(client, kind):
    if kind == "secretariat group":
        user = UserFactory(two_factor=False)
        user.groups.add(_secretariat_group())
    else:
        user = UserFactory(is_staff=True, is_superuser=kind == "superuser", two_factor=False)
    assert not Authenticator.objects.filter(user=user).exists()
    client.force_login(user)
    activate = reverse("mfa_activate_totp")

    for path in ("/admin/", "/register/", "/meetings/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == activate, path

    # The way out stays open: setting up TOTP, and signing out.
    final = client.get(activate, follow=True)
    assert final.status_code == 200
    assert final.request["PATH_INFO"].startswith("/accounts/")
    assert client.post(reverse("account_logout")).status_code == 302


def test_focal_point_is_not_sent_to_totp_setup(client):
    user = _focal_point()
    client.force_login(user)

    assert client.get("/register/").status_code == 200
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert response["Location"] != reverse("mfa_activate_totp")


def test_secretariat_with_totp_signs_in_with_the_code(client):
    user = _verified(UserFactory(is_staff=True))
    user.groups.add(_secretariat_group())
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not _signed_in(client)

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000" if totp_code() != "000000" else "111111"})
    assert wrong.status_code == 200
    assert not _signed_in(client)

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"  # staff land on the secretariat dashboard
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/register/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/registration/delegation/").status_code == 200


def test_totp_is_optional_for_everyone_else(client):
    user = _verified(UserFactory())
    client.force_login(user)

    assert client.get("/register/").status_code == 200
    response = client.get(reverse("mfa_index"))
    assert response.status_code == 200
    assert reverse("mfa_activate_totp") in response.content.decode()
    # Signing in needs no code.
    other = Client()
    response = other.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/register/"
    assert _signed_in(other)


def test_admin_login_form_does_not_skip_the_second_factor(client):
    """Django's own admin login only checks the password; staff must go through allauth's TOTP step."""
    user = _verified(UserFactory(is_staff=True))
    user.groups.add(_secretariat_group())

    client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD, "next": "/admin/"})

    assert not _signed_in(client)
    assert client.get("/admin/").status_code == 302
    response = client.get(reverse("admin:login"), {"next": "/admin/registration/delegation/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2Fregistration%2Fdelegation%2F"


# --- the portal's look ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["account_login", "account_signup", "account_reset_password"])
def test_allauth_pages_use_the_portal_layout(client, url_name):
    html = client.get(reverse(url_name)).content.decode()

    assert '<a class="brand" href="/en/meetings/">CCM Portal</a>' in html
    assert '<link rel="stylesheet" href="/static/css/portal.css">' in html
    assert '<main id="main"' in html
    assert "<title>" in html and "· CCM Portal</title>" in html
    # Not allauth's bare fallback layout.
    assert "Menu:" not in html


# --- no self-made privileges ------------------------------------------------------------------------------------------


def test_signup_cannot_ask_for_privileges(client):
    group = _secretariat_group()
    response = client.post(
        reverse("account_signup"),
        {
            **SIGNUP,
            "email": "climber@example.org",
            "username": "admin",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "is_staff": "on",
            "is_superuser": "on",
            "is_active": "on",
            "groups": [group.pk],
            "user_permissions": [1, 2, 3],
        },
    )

    assert response.status_code == 302
    user = get_user_model().objects.get(email="climber@example.org")
    assert not user.is_staff
    assert not user.is_superuser
    assert not user.groups.exists()
    assert not user.user_permissions.exists()
    assert user.username != "admin"


@pytest.mark.parametrize("who", ["focal point", "delegate"])
def test_non_staff_cannot_reach_or_change_the_admin(client, who):
    user = _focal_point() if who == "focal point" else _verified(UserFactory())
    group = _secretariat_group()
    client.force_login(user)

    assert client.get("/admin/").status_code in (302, 403)
    assert client.get(f"/admin/auth/user/{user.pk}/change/").status_code in (302, 403)
    response = client.post(
        f"/admin/auth/user/{user.pk}/change/",
        {
            "username": user.username,
            "email": user.email,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [group.pk],
            "date_joined_0": "2025-01-01",
            "date_joined_1": "10:00:00",
        },
    )

    assert response.status_code in (302, 403)
    user.refresh_from_db()
    assert not user.is_staff
    assert not user.is_superuser
    assert not user.groups.exists()


def test_the_number_of_trusted_proxies_comes_from_the_environment():
    """TRUSTED_PROXY_COUNT reaches allauth, which reads the client's address from X-Forwarded-For."""
    import subprocess
    import sys

    code = "import django; django.setup(); from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    env = {"DJANGO_SETTINGS_MODULE": "ccm_portal.settings", "TRUSTED_PROXY_COUNT": "1", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "1"


def test_behind_a_proxy_one_persons_failures_do_not_lock_out_the_others(settings):
    """Everyone reaches the portal from the proxy's address; the limit follows the address the proxy saw."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    per_ip = next(rule for rule in settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",") if rule.endswith("/ip"))
    allowed = int(per_ip.split("/")[0])
    proxy = "10.0.0.2"
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    for i in range(allowed + 1):
        attacker.post(reverse("account_login"), {"login": f"guess{i}@example.org", "password": "wrong"})
    refused = attacker.post(reverse("account_login"), {"login": "guess@example.org", "password": "wrong"})
    assert "Too many failed login attempts" in refused.content.decode()

    user = _verified(UserFactory())
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert colleague.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}).status_code == 302
    assert _signed_in(colleague)
    # A forged header does not help the attacker: the proxy appends the address it saw, and that one counts.
    forged = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7")
    response = forged.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
