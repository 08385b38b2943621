"""The focal point's registration journey in French and in Arabic, in a real Chromium (issue 14).

Mexico's focal point opens the public meeting page, chooses the language with the switcher, and walks the
steps of the English journey (tests/registration/test_journey.py): the invitation link, sign-up, the
confirmation e-mail, accepting the link, one member and submitting. The wording of the form labels comes
from the apps' catalogues, translated by others, so this test finds fields by name and asserts on the
portal's own template strings and on the layout: in Arabic the page reads right to left, the navigation and
the form labels sit on the right. Each step leaves a screenshot in test-artifacts/journeys/<test>/.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from registration import services
from registration.models import Delegation, FocalPoint, Invitation, Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Blue-Lake-Antelope-2031"
MEETING_SLUG = "ccm-intersessional-demo"

# What the portal's templates say in each language (locale/<lang>/LC_MESSAGES/django.po).
WORDS = {
    "fr": {
        "panel": "Inscription",
        "create": "Créer un compte",
        "subject": "Confirmez votre adresse électronique",
        "greeting": "Madame, Monsieur Amina Okonkwo,",
        "submit": "Enregistrer et soumettre au secrétariat",
    },
    "ar": {
        "panel": "التسجيل",
        "create": "إنشاء حساب",
        "subject": "تأكيد عنوان بريدكم الإلكتروني",
        "greeting": "السيد(ة) Amina Okonkwo المحترم(ة)،",
        "submit": "الحفظ والتقديم إلى الأمانة",
    },
}


def _only_link(body: str, path: str) -> str:
    (link,) = {m for m in re.findall(r"https?://\S+", body) if path in m}
    return link


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box, f"{locator} is not drawn"
    return box


def _switch_language(page, language: str) -> None:
    switcher = page.locator(".site-header .language-switcher")
    switcher.locator("select").select_option(language)
    with page.expect_navigation():
        switcher.locator("button[type=submit]").click()


def _assert_reads_right_to_left(page) -> None:
    assert page.get_attribute("html", "dir") == "rtl"
    width = page.viewport_size["width"]
    brand, first_link = _box(page.locator(".brand")), _box(page.locator(".site-header nav a").first)
    # The portal's name opens the header on the right; the navigation follows leftwards.
    assert brand["x"] + brand["width"] > width / 2
    assert first_link["x"] < brand["x"]
    links = page.locator(".site-header nav a")
    if links.count() > 1:
        assert _box(links.nth(1))["x"] < _box(links.first)["x"]


def _assert_labels_on_the_right(page) -> None:
    """Each label of the form starts at the right edge of its field, as Arabic is read."""
    checked = 0
    for name in ("first_name", "email"):
        field = page.locator(f"main form [name={name}]")
        label = page.locator(f"main form label[for='{field.get_attribute('id')}']")
        if not field.count() or not label.count():
            continue
        f, lab = _box(field), _box(label)
        assert abs((lab["x"] + lab["width"]) - (f["x"] + f["width"])) < 4 or lab["x"] > f["x"], (name, lab, f)
        assert lab["x"] + lab["width"] > page.viewport_size["width"] / 2, (name, lab)
        checked += 1
    assert checked, "no labelled field found on the sign-up page"


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_focal_point_registers_in_french_and_in_arabic(demo_portal, browser_page, step, language):
    words = WORDS[language]
    # One address per language: allauth allows one confirmation e-mail per address every 3 minutes.
    focal_email = f"amina.okonkwo.{language}@mexico-mission.example"
    invitation = Invitation.objects.get(meeting__slug=MEETING_SLUG, state__iso3="MEX", accepted_at__isnull=True)
    link = services.invitation_link(invitation)

    # 1. The public meeting page, then the switcher: the same page in the chosen language, at its own address.
    page = browser_page()
    page.goto(f"{demo_portal.url}/meetings/{MEETING_SLUG}/")
    expect(page).to_have_url(re.compile(rf"/en/meetings/{MEETING_SLUG}/$"))
    _switch_language(page, language)
    expect(page).to_have_url(re.compile(rf"/{language}/meetings/{MEETING_SLUG}/$"))
    assert page.get_attribute("html", "lang") == language
    expect(page.locator(".register-panel h2")).to_have_text(words["panel"])
    if language == "ar":
        _assert_reads_right_to_left(page)
    else:
        assert page.get_attribute("html", "dir") == "ltr"
    step(page, f"{language}: the meeting page after choosing the language")

    # 2. The invitation link and sign-up, in the chosen language (the cookie follows the person).
    page.goto(link)
    assert page.get_attribute("html", "lang") == language
    step(page, f"{language}: invitation link")
    page.get_by_role("link", name=words["create"]).click()
    page.wait_for_url(re.compile(r"/accounts/signup/"))
    assert page.get_attribute("html", "lang") == language
    if language == "ar":
        _assert_reads_right_to_left(page)
        _assert_labels_on_the_right(page)
    page.locator("main form [name=first_name]").fill("Amina")
    page.locator("main form [name=last_name]").fill("Okonkwo")
    page.locator("main form [name=affiliation]").fill(
        "Permanent Mission of Mexico to the United Nations Office at Geneva"
    )
    page.locator("main form [name=email]").fill(focal_email)
    page.locator("main form [name=password1]").fill(PASSWORD)
    page.locator("main form [name=password2]").fill(PASSWORD)
    step(page, f"{language}: sign-up")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    step(page, f"{language}: asked to verify the address")

    # 3. The confirmation e-mail is in the language of the page she signed up on.
    (verification,) = [m for m in mail.outbox if focal_email in m.to]
    assert words["subject"] in verification.subject
    assert verification.body.startswith(words["greeting"])
    page.goto(_only_link(verification.body, "/accounts/confirm-email/"))
    step(page, f"{language}: confirm the address")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()

    # 4. Back on the link, she accepts it: her choice of language is kept in her profile from now on.
    if page.url != link:
        page.goto(link)
    assert page.get_attribute("html", "lang") == language
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/register/{MEETING_SLUG}/state-MEX/$"))
    assert FocalPoint.objects.get(user__email=focal_email, state__iso3="MEX").is_active
    _switch_language(page, language)  # signed in now: the switcher keeps the choice in her profile
    assert Profile.objects.get(user__email=focal_email).language == language
    if language == "ar":
        _assert_reads_right_to_left(page)
    step(page, f"{language}: the delegation form")

    # 5. One member, then submitted to the secretariat.
    member = page.locator("fieldset.member").first
    member.locator("select[name$='-title']").select_option(index=1)
    member.locator("input[name$='-given_name']").fill("Amina")
    member.locator("input[name$='-family_name']").fill("Okonkwo")
    member.locator("select[name$='-role']").select_option("head")
    member.locator("input[name$='-position']").fill("Ambassador, Permanent Representative")
    with page.expect_navigation():
        page.get_by_role("button", name=words["submit"]).click()
    delegation = Delegation.objects.get(meeting__slug=MEETING_SLUG, state__iso3="MEX")
    assert delegation.status == Delegation.Status.SUBMITTED
    assert delegation.members.count() == 1
    assert page.get_attribute("html", "lang") == language
    step(page, f"{language}: submitted")

    # 6. On a 375 px phone, the same page reads without scrolling sideways, in the same direction.
    phone = browser_page(width=375, height=812, mobile=True)
    phone.goto(f"{demo_portal.url}/{language}/meetings/{MEETING_SLUG}/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert phone.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    step(phone, f"{language}: phone, the meeting page")
