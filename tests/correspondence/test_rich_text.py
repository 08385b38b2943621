"""Rich text in notes (issue 11): the allowed constructs reach the preview, the PDF and the e-mail;
nothing else does; placeholder values are text, never formatting."""

import pytest
from django.core import mail
from django.urls import reverse

from correspondence import richtext
from correspondence.models import AddresseeGroup
from correspondence.rendering import Addressee, render_note, render_pdf
from tests.factories import MeetingFactory

from . import factories
from .seeds import missing_in_order, words

pytestmark = pytest.mark.django_db

RICH = """Plain, **bold**, *italics*, the 30^th^ and the 1<sup>st</sup>, and [the site](https://www.clusterconvention.org/).

- first bullet
- second bullet

1. first step
2. second step

::: centre
**Meetings of the Standing Committees
20-24 June 2011**
:::

{{ closing }}"""

ALLOWED_HTML = [
    "<strong>bold</strong>",
    "<em>italics</em>",
    "30<sup>th</sup>",
    "1<sup>st</sup>",
    '<a href="https://www.clusterconvention.org/">the site</a>',
    "<ul>\n<li>first bullet</li>\n<li>second bullet</li>\n</ul>",
    "<ol>\n<li>first step</li>\n<li>second step</li>\n</ol>",
    '<div class="centre"><p><strong>Meetings of the Standing Committees<br>\n20-24 June 2011</strong></p>',
]

HOSTILE = """Kept one. <script>alert("script")</script><style>p { color: red }</style>
<img src="https://evil.example/pixel.png"> ![remote](https://evil.example/image.png)
<iframe src="https://evil.example/frame"></iframe>
<p onclick="alert('click')" style="color: red">Kept two.</p>
<a href="javascript:alert('link')">a trap</a>"""

GONE = [
    "<script",
    "alert",
    "<style",
    "color: red",
    "<img",
    "evil.example",
    "<iframe",
    "onclick",
    "style=",
    "javascript",
]


@pytest.fixture
def rich_note(office, secretariat, meeting, parties):
    return factories.draft(office, secretariat, meeting=meeting, body=RICH)


@pytest.fixture
def hostile_note(office, secretariat, meeting, parties):
    return factories.draft(office, secretariat, meeting=meeting, body=HOSTILE + "\n\n{{ closing }}")


def _preview(client, note) -> str:
    client.force_login(factories.secretariat_user())
    response = client.get(reverse("admin:correspondence_note_preview", args=[note.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _pdf_words(note) -> str:
    return factories.pdf_text(render_pdf(render_note(note, Addressee(key="x", name="Somebody")).html))


@pytest.mark.parametrize("expected", ALLOWED_HTML)
def test_every_allowed_construct_reaches_the_preview(client, rich_note, expected):
    assert expected in _preview(client, rich_note)


def test_the_allowed_constructs_reach_the_pdf(rich_note):
    text = _pdf_words(rich_note)

    assert "Plain, bold, italics, the 30th and the 1st, and the site." in text
    assert "first bullet" in text and "second step" in text
    assert "Meetings of the Standing Committees 20-24 June 2011" in text


def test_the_allowed_constructs_reach_the_e_mail_as_text(rich_note, secretariat, issue):
    issue(rich_note, secretariat)

    body = mail.outbox[0].body
    assert "Plain, bold, italics, the 30th and the 1st, and the site." in body
    assert "- first bullet\n- second bullet" in body
    assert "1. first step\n2. second step" in body
    assert "Meetings of the Standing Committees\n20-24 June 2011" in body
    assert "<" not in body and "**" not in body


def test_nothing_else_reaches_the_preview(client, hostile_note):
    html = _preview(client, hostile_note).split('<main class="sheet"')[1]

    assert "Kept one." in html and "Kept two." in html
    for gone in GONE:
        assert gone not in html


def test_nothing_else_reaches_the_pdf_nor_is_fetched(hostile_note):
    # The restricted fetcher raises on any remote URL: rendering at all shows none was asked for.
    text = _pdf_words(hostile_note)

    assert "Kept one." in text and "Kept two." in text
    for gone in GONE:
        assert gone not in text


def test_nothing_else_reaches_the_e_mail(hostile_note, secretariat, issue):
    issue(hostile_note, secretariat)

    message = mail.outbox[0]  # one per mission, each the same text
    assert "Kept one." in message.body and "Kept two." in message.body
    for gone in GONE:
        assert gone not in message.body
    assert not getattr(message, "alternatives", [])


@pytest.mark.parametrize("name", ["*Ruritania*", "**Bold** Land", "Land_of_the_1^st^", "[x](https://evil.example)"])
def test_a_value_is_never_formatting(office, secretariat, name):
    factories.party(name=name)
    meeting = MeetingFactory(title=f"Meeting of {name}")
    note = factories.draft(office, secretariat, meeting=meeting, body="{{ meeting.title }}, *{{ meeting.title }}*")

    html = render_note(note, Addressee(key="x", name="Somebody")).html

    body = html.split("<body>")[1]
    assert f"<p>Meeting of {name}, <em>Meeting of {name}</em></p>" in body.replace("&amp;", "&")
    assert "<strong>" not in body and "<sup>" not in body and "<a " not in body


def test_letterhead_and_footer_lines_take_inline_formatting(secretariat, parties):
    office = factories.OfficeFactory(
        letterhead_lines="**Republic of Somewhere**\n*Peace Unity*", footer_lines="**Unit** | www.example.org"
    )
    note = factories.draft(office, secretariat)

    html = render_note(note, Addressee(key="x", name="Somebody")).html

    assert '<p class="lh-line"><strong>Republic of Somewhere</strong></p>' in html
    assert '<p class="lh-line"><em>Peace Unity</em></p>' in html
    assert '<footer class="page-footer"><p><strong>Unit</strong> | www.example.org</p></footer>' in html


def test_the_e_mail_text_of_nested_lists():
    html = richtext.to_html("- one\n  - one a\n  - one b\n- two\n\n3. three\n4. four")

    assert richtext.to_text(html) == "- one\n  - one a\n  - one b\n- two\n\n3. three\n4. four"


# --- addressee groups ---------------------------------------------------------------------------------------------

GROUPS_IN = {
    "en": "The Permanent Missions to the United Nations of the States Parties to the Convention on Cluster Munitions"
    " (CCM)",
    "fr": "Les missions permanentes auprès de l'Organisation des Nations Unies des États parties à la Convention (CCM)",
    "es": "Las misiones permanentes ante las Naciones Unidas de los Estados partes en la Convención (CCM)",
    "ar": "البعثات الدائمة لدى الأمم المتحدة للدول الأطراف في الاتفاقية (CCM)",
    "ru": "Постоянные представительства при Организации Объединённых Наций государств — участников Конвенции (CCM)",
    "zh": "公约（CCM）缔约国常驻联合国代表团",
}
OTHERS_IN = {
    "en": [
        "The Permanent Missions to the United Nations of the Signatories and States not Parties to the Convention",
        "Interested non-governmental and International Organizations",
    ],
    "fr": [
        "Les missions permanentes auprès de l'Organisation des Nations Unies des États signataires et des États non "
        "parties à la Convention",
        "Les organisations non gouvernementales et internationales intéressées",
    ],
    "es": [
        "Las misiones permanentes ante las Naciones Unidas de los Estados signatarios y de los Estados que no son "
        "partes en la Convención",
        "Las organizaciones no gubernamentales e internacionales interesadas",
    ],
    "ar": [
        "البعثات الدائمة لدى الأمم المتحدة للدول الموقعة والدول غير الأطراف في الاتفاقية",
        "المنظمات غير الحكومية والدولية المهتمة",
    ],
    "ru": [
        "Постоянные представительства при Организации Объединённых Наций государств, подписавших Конвенцию, и "
        "государств, не являющихся её участниками",
        "Заинтересованные неправительственные и международные организации",
    ],
    "zh": ["公约签署国和非缔约国常驻联合国代表团", "感兴趣的非政府组织和国际组织"],
}
CIRCULAR_GROUPS = [
    AddresseeGroup.STATES_PARTIES,
    AddresseeGroup.SIGNATORIES,
    AddresseeGroup.STATES_NOT_PARTY,
    AddresseeGroup.INTERESTED_ORGANISATIONS,
]


@pytest.mark.parametrize("language", sorted(GROUPS_IN))
def test_a_circular_prints_its_groups_in_the_note_language(office, secretariat, parties, language, issue):
    note = factories.draft(
        office, secretariat, form="letter", groups=CIRCULAR_GROUPS, language=language, body="Text.\n\n{{ closing }}"
    )
    note.signatories.create(name="Signatory", title="Title")

    issued = issue(note, secretariat)

    # Each mission still gets its own copy, and each copy prints the groups, not the mission.
    copies = list(issued.copies.order_by("addressee_key"))
    assert len(copies) == 3
    text = words(factories.pdf_text(copies[0].pdf.read()))
    for line in [GROUPS_IN[language], *OTHERS_IN[language]]:
        if language == "ar":  # the extractor gives a Latin run inside Arabic in visual order: words, not order
            assert set(words(line)) <= set(text)
        else:
            assert missing_in_order(words(line), text) == []
    assert "partyland" not in text


def test_interested_organisations_are_the_meeting_supporters_and_those_listed(office, secretariat, meeting, parties):
    from correspondence.selectors import note_addressees
    from tests.factories import OrganisationFactory

    supporter, listed, other = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    meeting.supporting_organisations.add(supporter)
    note = factories.draft(
        office, secretariat, meeting=meeting, form="letter", groups=[AddresseeGroup.INTERESTED_ORGANISATIONS]
    )
    note.addressee_organisations.add(listed)

    keys = {a.key for a in note_addressees(note, at=factories.ISSUE_DATE)}

    assert keys == {f"org:{supporter.pk}", f"org:{listed.pk}"}
    assert f"org:{other.pk}" not in keys


def test_the_groups_read_inside_a_sentence(office, secretariat, parties):
    body = "The Office presents its compliments to {{ addressees }} and has the honour to inform them."
    note = factories.draft(office, secretariat, groups=[AddresseeGroup.ALL_MISSIONS], body=body)

    text = render_note(note, Addressee(key="x", name="Somebody")).text

    assert text == (
        "The Office presents its compliments to the Permanent Representatives of Member and Observer States to the "
        "United Nations and has the honour to inform them."
    )
