"""The secretariat officer's day, in Chromium, on the demo data of `make run`.

Signs in with TOTP, reads the dashboard, follows a count to the delegations waiting, reviews the Lao PDR's
delegation with its credentials letter beside it, marks the credentials in order and approves; returns Chile's
delegation with a reason; then the Article 7 compliance table and its exports, the reminder dry run and the
open meeting's cost shares. Every step leaves a screenshot in test-artifacts/journeys/.
"""

import csv
import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect
from pypdf import PdfReader

from correspondence.models import Email
from registration.models import Credentials, Delegation
from tests.conftest import sign_in, user_totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICER = "secretariat@ccm-portal.localhost"
PASSWORD = "demo-secretariat-2026"

# How many lines each header cell's text takes: one, when headers read horizontally.
HEADER_LINES = """(selector) => [...document.querySelectorAll(selector)].map(th => {
  const range = document.createRange();
  range.selectNodeContents(th);
  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  return [th.textContent.trim(), tops.size];
})"""


def tile(page, label: str) -> str:
    return page.locator(".board-tile", has_text=label).locator(".board-number").inner_text()


def row_counts(page, meeting_title: str) -> dict[str, str]:
    row = page.locator("#upcoming-meetings tbody tr", has_text=meeting_title)
    return {cell.get_attribute("data-label"): cell.inner_text() for cell in row.locator("td").all()}


def pdf_drawn(page) -> None:
    """Wait until Chromium's PDF viewer has opened in the credentials frame and drawn the letter."""
    for _ in range(50):
        if any(frame.url.startswith("chrome-extension://") for frame in page.frames):
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(800)


def test_secretariat_reviews_approves_returns_and_reads_the_obligations(demo_portal, browser_page, step):
    base = demo_portal.url
    today = timezone.localdate()
    page = browser_page(width=1280, height=900)

    # 1. Sign in with the second factor; staff land on the dashboard.
    sign_in(page, base, email=OFFICER, password=PASSWORD, totp_secret=user_totp_secret(OFFICER))
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator(".board-today")).to_have_text(f"{date_format(today, 'l j F Y')} · Geneva")
    assert tile(page, "Delegations to review") == "3"
    assert tile(page, "Credentials to examine") == "2"
    assert tile(page, "Focal point requests") == "1"
    intersessional = "Intersessional Meetings of the Convention on Cluster Munitions"
    assert row_counts(page, intersessional) == {
        "All": "7",
        "States Parties": "5",
        "Signatory States": "1",
        "Observer States": "0",
        "Organisations": "1",
        "Submitted": "3",
        "Returned": "0",
        "Approved": "3",
        "Draft": "1",
    }
    # Headers read horizontally, one line each; figures are aligned at the end in tabular digits.
    for selector in ("#upcoming-meetings thead th", "#article7 thead th"):
        lines = page.evaluate(HEADER_LINES, selector)
        assert lines and all(n == 1 for _, n in lines), lines
    figure = page.locator("#upcoming-meetings tbody td.num").first
    assert (
        figure.evaluate("td => getComputedStyle(td).textAlign") == "end"
    )  # numbers line up at the end of the cell: the right in English, the left in Arabic
    assert "tabular-nums" in figure.evaluate("td => getComputedStyle(td).fontVariantNumeric")
    step(page, "dashboard")

    tablet = browser_page(width=900, height=1100)
    tablet.context.add_cookies(page.context.cookies())
    tablet.goto(f"{base}/admin/")
    # Below 1100 px each meeting is a block and each figure carries its label: no header to squeeze.
    cell = tablet.locator("#upcoming-meetings tbody tr", has_text=intersessional).locator(
        "td[data-label='States Parties']"
    )
    expect(cell).to_have_text("5")
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == '"States Parties"'
    assert cell.evaluate("td => getComputedStyle(td).display") == "inline-flex"
    assert tablet.evaluate("document.documentElement.scrollWidth") <= 900
    step(tablet, "dashboard on a tablet")

    # 2. A count leads to the list behind it.
    page.locator(".board-tile", has_text="Delegations to review").click()
    expect(page).to_have_url(re.compile(r"/admin/registration/delegation/\?status__exact=submitted"))
    links = page.locator("#result_list tbody th a, #result_list tbody td.field-party_name a")
    expect(links).to_have_count(3)
    parties = links.all_inner_texts()
    assert sorted(parties) == ["Chile", "Humanity & Inclusion (HI)", "Lao People's Democratic Republic"]
    step(page, "delegations waiting for review")

    # 3. The Lao PDR's review screen: members in order, category and why, the credentials letter inline.
    with page.expect_response(lambda r: "/register/credentials/" in r.url) as pdf_response:
        page.get_by_role("link", name="Lao People's Democratic Republic").click()
    assert pdf_response.value.status == 200
    assert pdf_response.value.headers["content-type"] == "application/pdf"
    expect(page.get_by_role("heading", level=1)).to_have_text("Delegation of Lao People's Democratic Republic")
    expect(page.locator("#delegation-status")).to_have_text("Submitted")
    expect(page.locator("#delegation-category")).to_have_text("States Parties")
    expect(page.locator("#category-reason")).to_contain_text(
        "the meeting's first day: signed 3 December 2008, ratified 18 March 2009, in force for it since 1 August 2010."
    )
    members = [row.locator("td").all_inner_texts() for row in page.locator("#members tbody tr").all()]
    assert [m[1:5] for m in members] == [
        ["H.E.", "Bounkham", "PHOMMACHANH", "Head of delegation"],
        ["Ms.", "Viengkham", "SENGDARA", "Expert"],
    ]
    frame = page.locator("#credentials-pdf")
    expect(frame).to_be_visible()
    letter = page.request.get(base + frame.get_attribute("src").split("#")[0])
    assert letter.status == 200 and letter.headers["x-frame-options"] == "SAMEORIGIN"
    text = PdfReader(io.BytesIO(letter.body())).pages[0].extract_text()
    assert "CREDENTIALS" in text and "Bounkham PHOMMACHANH" in text
    pdf_drawn(page)
    step(page, "review screen with the credentials letter")

    # 4. Credentials in order, then approve.
    page.get_by_label("Original in order").check()
    page.get_by_role("button", name="Record the examination").click()
    expect(page.locator(".messagelist")).to_contain_text("Credentials recorded as “original in order”.")
    expect(page.locator("#credentials-status")).to_have_text("Original in order")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "The delegation of Lao People's Democratic Republic is approved. "
        "E-mail to: focalpoint.lao@ccm-portal.localhost."
    )
    expect(page.locator("#delegation-status")).to_have_text("Approved")
    history = page.locator("#history tbody tr").first.locator("td").all_inner_texts()
    assert history[1:3] == ["Claire Dubois", "approved"]  # people by name (the demo officer), not by address
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    pdf_drawn(page)
    step(page, "approved, in the history")
    lao = Delegation.objects.get(meeting__slug="ccm-intersessional-demo", state__iso3="LAO")
    assert lao.status == Delegation.Status.APPROVED
    assert lao.credentials.status == Credentials.Status.IN_ORDER

    # ... and the focal point is told.
    notification = Email.objects.get(to="focalpoint.lao@ccm-portal.localhost", subject__contains="approved")
    assert notification.status in (Email.Status.QUEUED, Email.Status.SENT)
    page.goto(f"{base}/admin/correspondence/email/")
    # Two e-mails to the Lao focal point: the acknowledgement of the submission, then the decision.
    row = page.locator("#result_list tbody tr", has_text="focalpoint.lao@ccm-portal.localhost").filter(
        has_text="approved"
    )
    expect(row).to_contain_text("delegation of Lao People's Democratic Republic approved")
    step(page, "notification to the focal point")
    if notification.status == Email.Status.SENT:
        assert any("focalpoint.lao@ccm-portal.localhost" in m.to for m in mail.outbox)

    # 5. Chile is returned with a reason.
    page.goto(f"{base}/admin/registration/delegation/?status__exact=submitted")
    page.get_by_role("link", name="Chile").click()
    reason = "Please give the e-mail address of each member and the head of delegation's full title."
    page.get_by_label("Reason for returning").fill(reason)
    page.get_by_role("button", name="Return with this reason").click()
    expect(page.locator(".messagelist")).to_contain_text("The delegation of Chile is returned for changes.")
    expect(page.locator("#delegation-status")).to_have_text("Returned for changes")
    expect(page.locator(".review-note")).to_have_text(f"Returned with this reason: {reason}")
    pdf_drawn(page)
    step(page, "Chile returned with a reason")
    chile = Delegation.objects.get(meeting__slug="ccm-intersessional-demo", state__iso3="CHL")
    assert (chile.status, chile.return_reason) == (Delegation.Status.RETURNED, reason)

    # 6. Back on the dashboard, the counts have moved.
    page.goto(f"{base}/admin/")
    assert tile(page, "Delegations to review") == "1"
    assert tile(page, "Credentials to examine") == "1"
    assert row_counts(page, intersessional)["Returned"] == "1"

    # 7. Article 7: the compliance table, the States behind a count, the exports.
    page.get_by_role("link", name="Compliance table, every year").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compliance: Convention on Cluster Munitions")
    first_row = page.locator("#compliance tbody tr").first
    year = first_row.locator("th").inner_text()
    late = first_row.locator("td").nth(2)
    late_count = int(late.inner_text())
    late.get_by_role("link").click()
    expect(page.locator("#detail-heading")).to_have_text(f"Reports due in {year}, submitted late ({late_count})")
    assert page.locator("#detail tbody tr").count() == late_count
    step(page, "compliance table and the late reports")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    with open(download.value.path(), encoding="utf-8") as exported:
        rows = list(csv.DictReader(exported))
    assert rows[-1]["Year due"] == year and rows[-1]["Late"] == str(late_count)
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX", exact=True).click()
    assert download.value.suggested_filename == f"article7-compliance-CCM-{today.isoformat()}.xlsx"

    # 8. The reminder dry run.
    page.goto(f"{base}/admin/")
    page.get_by_role("link", name="Reminders that would go out today (dry run)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Reminders that would be sent on {date_format(today, 'j F Y')}"
    )
    step(page, "reminder dry run")

    # 9. The open meeting's cost shares: the approved States, Lao PDR now among them.
    page.goto(f"{base}/admin/")
    meeting_row = page.locator("#upcoming-meetings tbody tr", has_text=intersessional)
    with page.expect_navigation() as navigation:
        meeting_row.get_by_role("link", name="Cost shares").click()
    assert navigation.value.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Cost shares")
    states = page.locator("table.documents tbody tr td:first-child").all_inner_texts()
    assert [s.split(" (")[0] for s in states] == ["Iraq", "Ireland", "Lao People's Democratic Republic", "Switzerland"]
    expect(page.locator("main")).to_contain_text("Total CHF 185,400.00")
    step(page, "cost shares of the open meeting")
