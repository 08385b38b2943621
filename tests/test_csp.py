"""The Content-Security-Policy: its directives, the nonce, and the key pages in Chromium, whose scripts must
still work while any violation the browser reports fails the test.

The crawl (tests/test_crawl.py) checks that every URL, as every role, sends the policy.
"""

import re
from pathlib import Path

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.template import engines
from django.urls import reverse
from playwright.sync_api import expect

from registration.models import Delegation
from tests.conftest import sign_in, user_totp_secret
from tests.csp import is_strict, policy_of

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_a_page_allows_only_the_portals_own_scripts_styles_and_frames(client):
    response = client.get(reverse("meetings:list"))
    policy = policy_of(response)

    assert is_strict(response)
    assert policy["script-src"] == ["'self'"]  # and no nonce: the page has no script of its own
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


@pytest.mark.django_db
def test_a_refused_request_has_the_policy_too(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 10
    response = client.post(reverse("account_login"), {"login": "x" * 100})

    assert response.status_code == 413
    assert is_strict(response)


def test_a_script_given_the_nonce_is_allowed_by_the_same_nonce(rf):
    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}">start()</script>')
    middleware = CSPMiddleware(lambda request: HttpResponse(template.render({}, request)))

    response = middleware(rf.get("/"))

    nonce = re.search(r'nonce="([^"]+)"', response.content.decode())[1]
    assert policy_of(response)["script-src"] == ["'self'", f"'nonce-{nonce}'"]


# The list of participants' PDF page is read by WeasyPrint only and never served to a browser, so the policy
# does not apply to it: its <style> sets the page count's words in the reader's language (issue 14).
PDF_ONLY = {"registration/participants_pdf.html"}
TEMPLATES = sorted(
    path for path in (ROOT / "templates").rglob("*.html") if str(path.relative_to(ROOT / "templates")) not in PDF_ONLY
)
# What the policy refuses to obey, as it would be written in a template.
REFUSED = {
    "an inline script": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "an event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "a style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "a <style> element": re.compile(r"<style\b", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT / "templates")))
def test_no_template_has_what_the_policy_refuses(template):
    """Also the pages the Chromium test below does not walk; a script needs a file, or the request's nonce."""
    text = template.read_text()
    found = [
        f"{what}: {match.group(0)[:80]}"
        for what, pattern in REFUSED.items()
        for match in pattern.finditer(text)
        if "csp_nonce" not in match.group(0)
    ]
    assert not found, f"{template}: " + "; ".join(found)


# --- in Chromium ------------------------------------------------------------------------------------------------------

DEMO_PASSWORDS = {
    "secretariat@ccm-portal.localhost": "demo-secretariat-2026",
    "focalpoint@ccm-portal.localhost": "demo-focalpoint-2026",
}

# Runs before any script of the page: records every violation the browser reports, those the console
# leaves out too.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile || location.pathname}`
  );
});
"""


class Violations:
    """What a browser context reports against the policy, on the console and as securitypolicyviolation events."""

    def __init__(self, context):
        self.found: list[str] = []
        context.add_init_script(RECORD_VIOLATIONS)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.found.append(f"script error: {error.error}"))

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.found.append(f"{message.location.get('url')}: {message.text}")

    def collect(self, page) -> None:
        self.found += page.evaluate("window.__cspViolations")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_key_pages_keep_their_scripts_working_with_no_policy_violation(demo_portal, browser_page, step):
    url = demo_portal.url
    page = browser_page()
    violations = Violations(page.context)

    # Sign-in with the TOTP step (allauth's pages); staff land on the dashboard.
    email = "secretariat@ccm-portal.localhost"
    sign_in(page, url, email=email, password=DEMO_PASSWORDS[email], totp_secret=user_totp_secret(email))
    page.goto(f"{url}/admin/")
    expect(page.locator("h1")).to_contain_text("Dashboard")
    violations.collect(page)
    step(page, "dashboard")

    # Drafting a note: a template fills the subject and body; the placeholders follow the meeting chosen.
    page.goto(f"{url}/admin/correspondence/note/add/")
    english = page.locator("#id_template option", has_text="Invitation to a meeting · English").get_attribute("value")
    page.select_option("#id_template", english)
    expect(page.locator("#id_body")).to_have_value(re.compile(r"\{\{ *opening *\}\}"))
    page.select_option("#id_meeting", index=1)
    expect(page.locator("#placeholders-panel")).to_contain_text("Values for")
    violations.collect(page)
    step(page, "note drafted from a template")

    # Saved, its preview (opened in a new tab): choosing another copy shows it at once.
    oda = page.locator("#id_office option", has_text="Office for Disarmament Affairs").get_attribute("value")
    page.select_option("#id_office", oda)
    page.check("input[name=addressee_groups][value=states_parties]")
    page.click("input[name=_continue]")
    expect(page.locator(".note-workflow")).to_contain_text("Status: Draft")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Preview HTML").click()
    preview = opened.value
    preview.wait_for_load_state()
    other = preview.locator("#preview-to option").nth(1).get_attribute("value")
    with preview.expect_navigation():
        preview.select_option("#preview-to", other)
    assert preview.locator("#preview-to").input_value() == other
    violations.collect(preview)
    step(preview, "note preview")
    preview.close()

    # The review screen, with the credentials PDF in its frame.
    delegation = Delegation.objects.filter(status="submitted", credentials__isnull=False).order_by("pk").first()
    with page.expect_response(re.compile(r"/register/credentials/\d+/")) as pdf:
        page.goto(f"{url}/admin/registration/delegation/{delegation.pk}/change/")
    assert pdf.value.status == 200
    assert pdf.value.headers["content-type"] == "application/pdf"
    expect(page.locator("#credentials-pdf")).to_be_visible()
    violations.collect(page)
    step(page, "review screen with the credentials")

    # The admin's export page (django-import-export): "Select all" clears and ticks every field.
    page.goto(f"{url}/admin/treaties/state/export/")
    first_field = page.locator(".selectable-field-export-row input[type=checkbox]").first
    page.uncheck("input[name=select-all-toggle]")
    expect(first_field).not_to_be_checked()
    page.check("input[name=select-all-toggle]")
    expect(first_field).to_be_checked()
    violations.collect(page)

    # A focal point: the delegation form's "Add member", and allauth's TOTP set-up with its QR code.
    focal = browser_page()
    focal_violations = Violations(focal.context)
    email = "focalpoint@ccm-portal.localhost"
    sign_in(focal, url, email=email, password=DEMO_PASSWORDS[email])
    focal.goto(f"{url}/register/ccm-intersessional-demo/state-NOR/")
    members = focal.locator("fieldset.member")
    before = members.count()
    focal.click("#add-member")
    expect(members).to_have_count(before + 1)
    focal_violations.collect(focal)
    step(focal, "delegation form with a member added")
    focal.goto(f"{url}/accounts/2fa/totp/activate/")
    focal.get_by_label(re.compile(r"^Password:?$")).fill(DEMO_PASSWORDS[email])  # allauth asks again first
    with focal.expect_navigation():
        focal.get_by_role("button", name="Confirm").click()
    qr_code = focal.locator("img[src^='data:image/svg+xml']")
    expect(qr_code).to_be_visible()
    assert focal.evaluate("(img) => img.naturalWidth > 0", qr_code.element_handle())
    focal_violations.collect(focal)
    step(focal, "two-factor set-up")

    found = violations.found + focal_violations.found
    assert not found, "The policy was violated:\n" + "\n".join(found)
