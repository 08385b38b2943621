"""Article 14 assessment: the cost-share page, its export, and one assessment note verbale per State.

The meeting opens on 15 September 2025 and costs CHF 100 000.00. Four States have an approved delegation:
Arcadia (rate 1 %), Borduria (0.5 %), Carpathia (the 0.001 % floor) and the Cook Islands (no UN rate: 0.001 %
set by the secretariat). Exact shares: 66 577.8961…, 33 288.9480…, 66.5778… and 66.5778…; rounded down they
leave three cents, which go to the largest remainders (Borduria, then Carpathia and the Cook Islands, by name).
"""

import datetime as dt
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from common.roles import PRESIDENCY, roles_sync
from correspondence.models import Note, NoteCopy, Office, ReferenceCounter
from correspondence.services import CorrespondenceError
from obligations import services
from obligations.models import AssessmentRate
from registration.models import Delegation, FocalPoint
from tests.factories import MeetingFactory, MissionFactory, OrganisationFactory, StateFactory, UserFactory, ccm
from tests.obligations.factories import MeetingCostFactory, RateFactory, delegation, read_csv

D = dt.date
pytestmark = pytest.mark.django_db

EXPECTED = {
    "Arcadia": Decimal("66577.89"),
    "Borduria": Decimal("33288.95"),
    "Carpathia": Decimal("66.58"),
    "Cook Islands": Decimal("66.58"),
}
TOTAL = Decimal("100000.00")


def _office(name, code, **kwargs) -> Office:
    return Office.objects.create(
        name=name,
        code=code,
        kind=kwargs.pop("kind", Office.Kind.SECRETARIAT),
        letterhead_lines=f"UNITED NATIONS\n{name}",
        city="Geneva",
        reference_pattern="{code}/{yyyy}/{seq:03}",
        **kwargs,
    )


@pytest.fixture
def office(db):
    return _office("Office for Disarmament Affairs (Geneva)", "ODA")


@pytest.fixture
def meeting(db):
    meeting = MeetingFactory(
        title="Thirteenth Meeting of States Parties", slug="13msp", start_date=D(2025, 9, 15), end_date=D(2025, 9, 18)
    )
    MeetingCostFactory(meeting=meeting, total="100000.00", currency="CHF")
    for name, iso3, rate in [("Borduria", "XBO", "0.5"), ("Arcadia", "XAR", "1"), ("Carpathia", "XCA", "0.001")]:
        state = StateFactory(name_en=name, iso3=iso3)
        MissionFactory(state=state, emails=f"mission.{iso3.lower()}@example.org")
        RateFactory(state=state, rate=rate)
        delegation(meeting=meeting, state=state)
    cook = StateFactory(name_en="Cook Islands", iso3="COK", un_status="non_member")
    MissionFactory(state=cook, city="New York", name="Mission of the Cook Islands", emails="cook@example.org")
    RateFactory(state=cook, rate="0.001", source=AssessmentRate.Source.SECRETARIAT, reference="")
    delegation(meeting=meeting, state=cook)
    # Not sharing the cost: a delegation not approved, and an organisation.
    pending = StateFactory(name_en="Pendingland", iso3="XPE")
    RateFactory(state=pending, rate="5")
    delegation(meeting=meeting, state=pending, status=Delegation.Status.SUBMITTED)
    delegation(meeting=meeting, organisation=OrganisationFactory(name="Mine Action Watch"))
    return meeting


@pytest.fixture
def url(meeting):
    return reverse("obligations:cost_shares", kwargs={"slug": meeting.slug})


@pytest.fixture
def secretariat_client(client, secretariat):
    client.force_login(secretariat)
    return client


ROW = re.compile(
    r"<tr><td>(?P<state>[^<]+?)(?: <span[^>]*>(?P<note>[^<]*)</span>)?</td><td class=\"num\">(?P<rate>[^<]*)</td>"
    r"<td class=\"num\">(?P<percentage>[^<]*)</td><td class=\"num\">(?P<amount>[^<]*)</td></tr>"
)


def money(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("\u202f", "").replace("\xa0", ""))


def page_rows(html: str) -> dict[str, dict]:
    return {m["state"]: m.groupdict() for m in ROW.finditer(html)}


# --- the page -------------------------------------------------------------------------------------------------------


def test_page_shows_each_states_amount_adding_up_to_the_total(secretariat_client, url):
    response = secretariat_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()

    rows = page_rows(html)
    assert list(rows) == ["Arcadia", "Borduria", "Carpathia", "Cook Islands"]  # approved State delegations only
    assert {state: money(row["amount"]) for state, row in rows.items()} == EXPECTED
    assert sum(money(row["amount"]) for row in rows.values()) == TOTAL
    assert rows["Arcadia"]["amount"] == "66,577.89"
    assert rows["Arcadia"]["percentage"] == "66.5779"
    assert "Total CHF 100,000.00, shared by 4 participating States" in html
    assert '<th class="num">100,000.00</th>' in html

    table = response.context["table"]
    assert sum(row.amount for row in table.rows) == table.total == TOTAL
    assert "Pendingland" not in html and "Mine Action Watch" not in html


def test_page_marks_a_rate_set_by_the_secretariat(secretariat_client, url):
    rows = page_rows(secretariat_client.get(url).content.decode())
    assert rows["Cook Islands"]["note"] == "(rate set by the secretariat)"
    assert [state for state, row in rows.items() if row["note"]] == ["Cook Islands"]


def test_xlsx_export_has_the_same_amounts(secretariat_client, url):
    response = secretariat_client.get(url, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="cost-shares-13msp.xlsx"'

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = sheet.iter_rows(values_only=True)
    # Readable headings: the export is read, never imported back.
    assert header == ("State", "ISO code", "Rate (%)", "Source of the rate", "Share (%)", "Amount (CHF)")
    amounts = {row[0]: Decimal(str(row[5])) for row in rows}
    assert amounts == EXPECTED
    assert sum(amounts.values()) == TOTAL
    assert [row[3] for row in rows] == ["UN scale of assessment"] * 3 + ["Set by the secretariat"]
    # The same figures as on the page.
    html_rows = page_rows(secretariat_client.get(url).content.decode())
    assert {state: money(row["amount"]) for state, row in html_rows.items()} == amounts


def test_csv_export(secretariat_client, url):
    response = secretariat_client.get(url, {"format": "csv"})
    assert response["Content-Type"] == "text/csv"
    rows = read_csv(response.content)
    assert {row["State"]: Decimal(row["Amount (CHF)"]) for row in rows} == EXPECTED


def test_state_without_a_rate_is_named_and_nothing_is_issued(secretariat_client, url, meeting, office):
    niue = StateFactory(name_en="Niue", iso3="NIU", un_status="non_member")
    delegation(meeting=meeting, state=niue)

    response = secretariat_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "No assessment rate covering 2025 for: Niue." in html
    assert page_rows(html) == {}
    assert "Issue one assessment note per State" not in html
    assert secretariat_client.get(url, {"format": "xlsx"})["Content-Type"].startswith("text/html")  # no file

    response = secretariat_client.post(url, {"office": office.pk, "confirm": "1"}, follow=True)
    assert "No assessment rate covering 2025 for: Niue." in response.content.decode()
    assert Note.objects.count() == 0
    assert mail.outbox == []


def test_meeting_without_a_cost(secretariat_client, office):
    meeting = MeetingFactory(title="Costless meeting", slug="costless")
    response = secretariat_client.get(reverse("obligations:cost_shares", kwargs={"slug": meeting.slug}))
    assert "No total cost is recorded for Costless meeting." in response.content.decode()


def test_unknown_meeting(secretariat_client):
    assert secretariat_client.get(reverse("obligations:cost_shares", kwargs={"slug": "nowhere"})).status_code == 404


# --- issuing the notes ------------------------------------------------------------------------------------------------


def test_post_issues_one_assessment_note_per_state(
    secretariat_client, secretariat, url, meeting, office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(url, {"office": office.pk, "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == url
    assert "Issued 4 assessment notes; they are being sent." in secretariat_client.get(url).content.decode()

    notes = list(Note.objects.order_by("seq"))
    assert len(notes) == 4
    today = timezone.localdate()
    assert [n.reference for n in notes] == [f"ODA/{today.year}/{n:03d}" for n in range(1, 5)]
    for note in notes:
        state = note.addressee_states.get()  # each note to one State
        amount = EXPECTED[state.name_en]
        assert (note.status, note.office, note.meeting, note.treaty) == (Note.Status.ISSUED, office, meeting, ccm())
        assert (note.created_by, note.issued_by, note.issue_date) == (secretariat, secretariat, today)
        assert note.subject == "Assessed contribution to the {{ meeting.title }}"
        assert f"The share of {state.name_en} is CHF {amount:,.2f}" in note.body
        assert "CHF 100,000.00" in note.body
        copy = note.copies.get()  # to that State's mission only
        assert copy.addressee_key == f"state:{state.iso3}"
        assert copy.mission == state.missions.get()
        assert copy.status == NoteCopy.Status.SENT
    assert {n.addressee_states.get().name_en for n in notes} == set(EXPECTED)

    assert len(mail.outbox) == 4
    for message in mail.outbox:
        (address,) = message.to
        state_name = {
            "mission.xar@example.org": "Arcadia",
            "mission.xbo@example.org": "Borduria",
            "mission.xca@example.org": "Carpathia",
            "cook@example.org": "Cook Islands",
        }[address]
        assert f"The share of {state_name} is CHF {EXPECTED[state_name]:,.2f}" in message.body
        assert "Assessed contribution to the Thirteenth Meeting of States Parties" in message.subject


def test_notes_are_all_or_nothing(secretariat_client, url, office, monkeypatch):
    """The third note is refused: the two already issued are undone, and no number is used."""
    real_issue = services.note_issue
    calls = []

    def refuse_the_third(**kwargs):
        calls.append(kwargs["note"].pk)
        if len(calls) == 3:
            raise CorrespondenceError("The mail room is closed.")
        return real_issue(**kwargs)

    monkeypatch.setattr(services, "note_issue", refuse_the_third)
    response = secretariat_client.post(url, {"office": office.pk, "confirm": "1"}, follow=True)

    assert "The mail room is closed." in response.content.decode()
    assert len(calls) == 3
    assert Note.objects.count() == 0
    assert NoteCopy.objects.count() == 0
    assert not ReferenceCounter.objects.filter(office=office, last_seq__gt=0).exists()
    assert mail.outbox == []


def test_office_requiring_approval_issues_nothing(secretariat_client, url):
    office = _office("Implementation Support Unit", "ISU", requires_approval=True)
    response = secretariat_client.post(url, {"office": office.pk, "confirm": "1"}, follow=True)
    assert "requires a second person&#x27;s approval" in response.content.decode()
    assert Note.objects.count() == 0


def test_assessment_notes_issue_service(secretariat, meeting, office):
    notes = services.assessment_notes_issue(meeting=meeting, office=office, user=secretariat)
    assert [n.addressee_states.get().name_en for n in notes] == list(EXPECTED)
    assert all(n.status == Note.Status.ISSUED for n in notes)


def test_only_the_offered_offices_can_issue(secretariat_client, url, meeting):
    """The form offers the secretariat's offices; a forged POST cannot pick a presidency's letterhead."""
    presidency_office = _office(
        "Permanent Mission of Presidia", "PRE", kind=Office.Kind.PRESIDENCY, state=StateFactory(name_en="Presidia")
    )
    assert secretariat_client.post(url, {"office": presidency_office.pk}).status_code == 404
    assert secretariat_client.post(url, {"office": ""}).status_code == 404
    assert secretariat_client.post(url, {"office": "ODA"}).status_code == 404
    assert secretariat_client.post(url, {}).status_code == 404
    assert Note.objects.count() == 0


def test_page_offers_the_secretariat_offices(secretariat_client, url, office):
    _office("Permanent Mission of Presidia", "PRE", kind=Office.Kind.PRESIDENCY, state=StateFactory(name_en="Presidia"))
    html = secretariat_client.get(url).content.decode()
    assert f'<option value="{office.pk}">Office for Disarmament Affairs (Geneva)</option>' in html
    assert "Permanent Mission of Presidia" not in html


# --- permissions ----------------------------------------------------------------------------------------------------


@pytest.fixture
def focal_point(meeting):
    user = UserFactory(username="focal.xar@example.org")
    FocalPoint.objects.create(
        user=user,
        state=meeting.delegations.get(state__iso3="XAR").state,
        reason="Counsellor",
        approved_at=timezone.now(),
    )
    return user


@pytest.fixture
def presidency(meeting):
    roles_sync()
    user = UserFactory(username="presidency@example.org", is_staff=True)  # with TOTP
    user.groups.add(Group.objects.get(name=PRESIDENCY))
    office = _office("Permanent Mission of Presidia", "PRE", kind=Office.Kind.PRESIDENCY, state=StateFactory())
    office.members.add(user)
    return user


@pytest.mark.parametrize("role", ["focal_point", "presidency", "delegate", "plain_staff"])
def test_other_roles_are_refused(request, client, url, office, role):
    user = (
        request.getfixturevalue(role)
        if role in ("focal_point", "presidency")
        else UserFactory(username=f"{role}@example.org", is_staff=role == "plain_staff")
    )
    client.force_login(user)
    assert client.get(url).status_code == 403
    assert client.get(url, {"format": "xlsx"}).status_code == 403
    assert client.post(url, {"office": office.pk, "confirm": "1"}).status_code == 403
    assert Note.objects.count() == 0


def test_anonymous_is_sent_to_sign_in(client, url, office):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"
    response = client.post(url, {"office": office.pk, "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Note.objects.count() == 0


def test_nothing_is_issued_without_confirmation(secretariat_client, url, office):
    response = secretariat_client.post(url, {"office": office.pk}, follow=True)
    assert "Nothing was issued: tick the box to confirm that the notes go out now." in [
        str(m) for m in response.context["messages"]
    ]
    assert not Note.objects.exists()
    page = secretariat_client.get(url).content.decode()
    assert 'name="confirm" value="1" id="confirm" required' in page
    assert "Issue 4 assessment notes" in page  # Arcadia, Borduria, Carpathia, Cook Islands
