"""The interface in the six UN languages: the switcher, the language in the address of public pages, right
to left for Arabic, and account e-mail in the recipient's language (issue 14)."""

import datetime as dt

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sites.models import Site
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registration.models import Profile
from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # UserFactory's
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """Kept pages and allauth's rate limits live in the cache: keep them to this test."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "languages"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def meeting():
    return MeetingFactory(
        title="Eleventh Meeting of States Parties", start_date=dt.date.today() + dt.timedelta(days=40)
    )


def _focal_point(*, language: str = ""):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if language:
        Profile.objects.create(user=user, language=language)
    return user


# --- the switcher -----------------------------------------------------------------------------------------------------


def test_every_page_carries_the_switcher_with_each_language_named_in_itself(client, meeting):
    html = client.get("/en/meetings/").text
    assert 'action="/language/"' in html
    for code, name in settings.LANGUAGES:
        assert f'<option value="{code}" lang="{code}"' in html
        assert name in html
    # No script: a select and a submit button (the CSP forbids inline script).
    assert '<select name="language"' in html and "onchange" not in html


def test_visitor_switches_a_public_page_to_french_and_back(client, meeting):
    response = client.post("/language/", {"language": "fr", "next": f"/en/meetings/{meeting.slug}/"})
    assert response.status_code == 302
    assert response["Location"] == f"/fr/meetings/{meeting.slug}/"
    assert response.cookies[COOKIE].value == "fr"

    french = client.get(response["Location"]).text
    assert '<html lang="fr" dir="ltr">' in french
    assert "Dates limites" in french and "Se connecter" in french

    back = client.post("/language/", {"language": "en", "next": f"/fr/meetings/{meeting.slug}/"})
    assert back["Location"] == f"/en/meetings/{meeting.slug}/"
    assert back.cookies[COOKIE].value == "en"
    assert "Deadlines" in client.get(back["Location"]).text


def test_pages_without_a_prefix_follow_the_cookie(client):
    client.post("/language/", {"language": "es", "next": "/accounts/login/"})
    html = client.get(reverse("account_login")).text
    assert '<html lang="es" dir="ltr">' in html
    assert "Reuniones" in html  # the portal's own navigation, from the root catalogue


def test_signed_in_person_switches_and_the_choice_is_kept_in_the_profile(client):
    user = _focal_point()
    client.force_login(user)

    response = client.post("/language/", {"language": "ru", "next": "/register/"})
    assert response["Location"] == "/register/"
    assert response.cookies[COOKIE].value == "ru"
    assert Profile.objects.get(user=user).language == "ru"
    assert '<html lang="ru" dir="ltr">' in client.get("/register/").text

    client.post("/language/", {"language": "zh-hans", "next": "/register/"})
    assert Profile.objects.get(user=user).language == "zh-hans"


def test_an_invalid_code_is_refused_with_a_message(client):
    user = _focal_point(language="fr")
    client.force_login(user)
    response = client.post("/language/", {"language": "xx", "next": "/register/"})
    assert response.status_code == 302 and response["Location"] == "/register/"
    assert COOKIE not in response.cookies
    assert Profile.objects.get(user=user).language == "fr"  # unchanged
    assert "This language is not available" in client.get("/register/").text


def test_the_switcher_does_not_send_anyone_to_another_site(client):
    response = client.post("/language/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_switcher_only_takes_a_post(client):
    assert client.get("/language/?language=fr").status_code == 405


# --- public pages carry their language --------------------------------------------------------------------------------


def test_french_address_shows_the_meetings_in_french(client, meeting):
    html = client.get("/fr/meetings/").text
    assert '<html lang="fr" dir="ltr">' in html
    assert "<h1>Réunions à venir</h1>" in html
    assert f'href="/fr/meetings/{meeting.slug}/"' in html  # links stay in the language of the page


def test_old_address_redirects_to_the_browser_language(client, meeting):
    response = client.get("/meetings/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/es/meetings/"
    # An old link to a meeting keeps working, in the reader's language.
    response = client.get(f"/meetings/{meeting.slug}/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response["Location"] == f"/ar/meetings/{meeting.slug}/"


def test_old_address_follows_the_chosen_language_before_the_browser(client):
    client.cookies[COOKIE] = "ru"
    response = client.get("/meetings/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Location"] == "/ru/meetings/"


def test_english_stays_the_default(client):
    assert client.get("/meetings/")["Location"] == "/en/meetings/"
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/en/meetings/"


def test_kept_public_pages_are_kept_per_language(client, meeting):
    assert "Upcoming meetings" in client.get("/en/meetings/").text
    assert "Réunions à venir" in client.get("/fr/meetings/").text
    assert "Upcoming meetings" in client.get("/en/meetings/").text  # the kept English copy, not the French one


# --- right to left ----------------------------------------------------------------------------------------------------


def test_arabic_pages_read_right_to_left(client, meeting):
    html = client.get("/ar/meetings/").text
    assert '<html lang="ar" dir="rtl">' in html
    assert "الاجتماعات المقبلة" in html

    client.cookies[COOKIE] = "ar"
    login = client.get(reverse("account_login")).text
    assert '<html lang="ar" dir="rtl">' in login


def test_the_admin_reads_right_to_left_and_carries_the_switcher(client, secretariat):
    client.force_login(secretariat)
    client.cookies[COOKIE] = "ar"
    html = client.get(reverse("admin:index")).text
    assert '<html lang="ar" dir="rtl">' in html
    assert 'class="language-switcher"' in html
    assert "لوحة المتابعة" in html or "الاجتماعات المقبلة" in html  # the portal's dashboard, in Arabic


# --- remembered at sign-in, and e-mail in the person's language -------------------------------------------------------


def test_signing_in_puts_the_profile_language_back(client):
    user = _focal_point(language="fr")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "fr"
    assert '<html lang="fr" dir="ltr">' in client.get(response["Location"], follow=True).text


def test_signed_in_requests_do_not_read_the_profile_for_the_language(client):
    user = _focal_point(language="fr")
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.get("/register/")  # warm: the session and the user
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("account_email"))
    assert not any("registration_profile" in q["sql"] for q in queries.captured_queries)


def test_account_email_goes_out_in_the_profile_language(client):
    user = _focal_point(language="fr")
    context = {
        "user": user,
        "activate_url": "https://portal.example/confirm/abc/",
        "current_site": Site.objects.get_current(),
    }
    get_adapter().send_mail("account/email/email_confirmation", user.email, context)
    (message,) = mail.outbox
    assert "Confirmez votre adresse électronique" in message.subject
    assert "Pour confirmer que cette adresse est bien la vôtre" in message.body


def test_account_email_at_sign_up_is_in_the_language_of_the_page(client):
    client.cookies[COOKIE] = "es"
    response = client.post(
        reverse("account_signup"),
        {
            "first_name": "Amina",
            "last_name": "Okonkwo",
            "affiliation": "Misión Permanente de Nigeria, Ginebra",
            "email": "nueva@example.org",
            "password1": "Quiet-Harbour-Lantern-2032",
            "password2": "Quiet-Harbour-Lantern-2032",
        },
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "Confirme su dirección de correo electrónico" in message.subject


def test_a_second_client_is_not_affected_by_the_first_ones_choice(meeting):
    first, second = Client(), Client()
    first.post("/language/", {"language": "ar", "next": "/en/meetings/"})
    assert second.get("/meetings/")["Location"] == "/en/meetings/"
