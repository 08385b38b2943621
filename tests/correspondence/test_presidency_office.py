"""What a presidency office drafts with: templates it owns or shares, placeholders that read right in every
language, wording that is text, the confirmation before issue and mail sent in the office's name."""

import datetime as dt
import email
import email.policy
import email.utils
import re

import pytest
from django.core import mail

from common.dates import short_date_range
from correspondence import language as lang
from correspondence import permissions, sandbox, selectors, services
from correspondence.models import AddresseeGroup, Form, Note, NoteTemplate, ReferenceCounter
from correspondence.rendering import Addressee, meeting_context, note_context, render_note, render_pdf
from demo.letters import TEMPLATES, templates_load
from tests.factories import DocumentFactory, MeetingFactory, OrganisationFactory, ccm

from . import factories

pytestmark = pytest.mark.django_db

ONE_DAY = dict(start_date=dt.date(2026, 12, 23), end_date=dt.date(2026, 12, 23), start_time=dt.time(10, 0))
SEVERAL_DAYS = dict(start_date=dt.date(2023, 9, 11), end_date=dt.date(2023, 9, 14), room="Room XIX")


# --- when and where, in each language ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "one_day", "several_days"),
    [
        ("en", "on 23 December 2026 at 10:00", "from 11 to 14 September 2023"),
        ("fr", "le 23 décembre 2026 à 10 heures", "du 11 au 14 septembre 2023"),
        ("es", "el 23 de diciembre de 2026 a las 10.00 horas", "del 11 al 14 de septiembre de 2023"),
        ("ar", "في 23 كانون الأول/ديسمبر 2026 الساعة 10:00", "في الفترة من 11 إلى 14 أيلول/سبتمبر 2023"),
        ("ru", "23 декабря 2026 года в 10:00", "с 11 по 14 сентября 2023 года"),
        ("zh", "于2026年12月23日10:00", "于2023年9月11日至2023年9月14日"),
    ],
)
def test_when_carries_its_preposition_the_day_and_the_hour(language, one_day, several_days):
    assert lang.meeting_when(dt.date(2026, 12, 23), dt.date(2026, 12, 23), dt.time(10, 0), language) == one_day
    assert lang.meeting_when(dt.date(2023, 9, 11), dt.date(2023, 9, 14), None, language) == several_days


def test_when_without_a_start_time_and_across_months():
    assert lang.meeting_when(dt.date(2026, 12, 23), dt.date(2026, 12, 23), None, "en") == "on 23 December 2026"
    assert lang.meeting_when(dt.date(2026, 12, 1), dt.date(2026, 12, 1), dt.time(15, 30), "fr") == (
        "le 1er décembre 2026 à 15 h 30"
    )
    assert lang.meeting_when(dt.date(2011, 6, 30), dt.date(2011, 7, 2), None, "en") == "from 30 June to 2 July 2011"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "at the Palais des Nations in Geneva (Room XIX)"),
        ("fr", "au Palais des Nations, à Genève (salle XIX)"),
        ("es", "en el Palacio de las Naciones, en Ginebra (sala XIX)"),
        ("ar", "في قصر الأمم في جنيف (القاعة XIX)"),
    ],
)
def test_where_reads_in_the_language(language, expected):
    assert lang.meeting_where(venue="Palais des Nations", room="Room XIX", city="Geneva", language=language) == expected


def test_where_with_an_unknown_venue_or_none():
    assert lang.meeting_where(venue="WMO building", room="", city="Geneva", language="fr") == "à Genève, WMO building"
    assert lang.meeting_where(venue="", room="", city="Vientiane", language="en") == "in Vientiane"
    assert lang.meeting_where(venue="", room="", city="", language="en") == ""


def test_short_date_ranges_for_lists():
    assert short_date_range(dt.date(2023, 9, 11), dt.date(2023, 9, 14)) == "11–14 Sep 2023"
    assert short_date_range(dt.date(2026, 12, 23), dt.date(2026, 12, 23)) == "23 Dec 2026"
    assert short_date_range(dt.date(2011, 6, 30), dt.date(2011, 7, 2)) == "30 Jun – 2 Jul 2011"
    assert short_date_range(dt.date(2026, 12, 30), dt.date(2027, 1, 2)) == "30 Dec 2026 – 2 Jan 2027"


def test_meeting_context_has_when_and_where():
    meeting = MeetingFactory(title="Coordination Committee meeting", **ONE_DAY)

    context = meeting_context(meeting, "en")

    assert context["when"] == "on 23 December 2026 at 10:00"
    assert context["where"] == "at the Palais des Nations in Geneva"


# --- the shipped invitation ------------------------------------------------------------------------------------------

INVITATION = {t["language"]: t for t in TEMPLATES if t["name"] == "Invitation to a meeting"}
EXPECTED = {
    "en": (
        "to be held on 23 December 2026 at 10:00 at the Palais des Nations in Geneva.",
        "to be held from 11 to 14 September 2023 at the Palais des Nations in Geneva (Room XIX).",
    ),
    "fr": (
        "qui se tiendra le 23 décembre 2026 à 10 heures au Palais des Nations, à Genève.",
        "qui se tiendra du 11 au 14 septembre 2023 au Palais des Nations, à Genève (salle XIX).",
    ),
    "es": (
        "que se celebrará el 23 de diciembre de 2026 a las 10.00 horas en el Palacio de las Naciones, en Ginebra.",
        "que se celebrará del 11 al 14 de septiembre de 2023 en el Palacio de las Naciones, en Ginebra (sala XIX).",
    ),
    "ar": (
        "المقرر عقده في 23 كانون الأول/ديسمبر 2026 الساعة 10:00 في قصر الأمم في جنيف.",
        "المقرر عقده في الفترة من 11 إلى 14 أيلول/سبتمبر 2023 في قصر الأمم في جنيف (القاعة XIX).",
    ),
}


def _invitation(office, user, language: str, meeting, **fields) -> Note:
    template = INVITATION[language]
    return services.note_create(
        office=office,
        created_by=user,
        meeting=meeting,
        form=template["form"],
        language=language,
        subject=template["subject"],
        body=template["body"],
        addressee_groups=[AddresseeGroup.STATES_PARTIES],
        **fields,
    )


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
@pytest.mark.parametrize("dates", ["one_day", "several_days"])
@pytest.mark.parametrize("enclosed", [False, True])
def test_the_invitation_reads_right_and_closes_in_its_own_paragraph(office, secretariat, language, dates, enclosed):
    meeting = MeetingFactory(**(ONE_DAY if dates == "one_day" else SEVERAL_DAYS))
    note = _invitation(office, secretariat, language, meeting)
    if enclosed:
        note.enclosures.add(DocumentFactory(meeting=meeting, symbol="CCM/MSP/2023/1"))

    rendered = render_note(note, Addressee(key="state:NOR", name="Permanent Mission of Norway"))
    # Without the bidi isolates around the values of an Arabic note (invisible; tested in test_rendering).
    paragraphs = [re.sub("[\u2066-\u2069]", "", sandbox.plain_text([p])) for p in rendered.paragraphs]

    assert EXPECTED[language][0 if dates == "one_day" else 1] in paragraphs[0]
    assert "from on" not in paragraphs[0] and "{{" not in rendered.html
    closing = lang.note_closing(  # without isolates too
        # The office's own name in the language, else the language's article before the English name.
        sender=lang.sentence_start(
            (office.name_in(language, fallback=False) if language != "en" else "")
            or lang.with_article(office.name_in("en"), language)
        ),
        addressee=lang.with_article("Permanent Mission of Norway", language),
        language=language,
    )
    assert paragraphs[-1] == closing  # its own paragraph, glued to nothing
    assert ("CCM/MSP/2023/1" in paragraphs[-2]) is enclosed
    assert all("\n" not in p for p in paragraphs)  # no paragraph is two glued by a line break


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_each_shipped_invitation_renders_to_a_pdf_that_reads_as_written(office, secretariat, language):
    office.name_ar = "مكتب الاختبار"
    office.save()
    note = _invitation(office, secretariat, language, MeetingFactory(**ONE_DAY))

    rendered = render_note(note, Addressee(key="state:NOR", name="Permanent Mission of Norway"))
    text = factories.pdf_text(render_pdf(rendered.html))

    assert "{" not in text
    if language == "ar":
        # Extraction puts right-to-left runs in visual order: check the words, not the sentence.
        assert 'dir="rtl"' in rendered.html
        assert all(word in text for word in ("ديسمبر", "2026", "10:00", "الساعة", "مكتب الاختبار"))
    else:
        assert EXPECTED[language][0].replace(".", "").split(" à ")[0].split(" a las ")[0] in text


def test_templates_load_shares_the_templates_and_is_idempotent(db):
    templates_load()
    templates_load()

    shared = NoteTemplate.objects.filter(office=None)
    assert shared.count() == len(TEMPLATES)
    assert set(shared.filter(name="Invitation to a meeting").values_list("language", flat=True)) == {
        "en",
        "fr",
        "es",
        "ar",
    }


# --- wording is text, as typed ---------------------------------------------------------------------------------------


def test_markup_typed_in_the_wording_is_escaped():
    rendered = sandbox.render('<script>alert("x")</script> <b>{{ name }}</b>', {"name": "<i>N</i>"})

    assert "<script>" not in rendered and "<b>" not in rendered and "<i>" not in rendered
    assert "&lt;script&gt;" in rendered and "&lt;i&gt;N&lt;/i&gt;" in rendered
    assert sandbox.plain_text([rendered]) == '<script>alert("x")</script> <b><i>N</i></b>'


def test_a_block_tag_inside_a_line_keeps_the_paragraph_break():
    source = "First{% if yes %} and more{% endif %}\n\n{{ closing }}"

    assert sandbox.paragraphs(sandbox.render(source, {"yes": True, "closing": "Closing."})) == [
        "First and more",
        "Closing.",
    ]


def test_a_line_holding_only_block_tags_disappears():
    source = "A\n{% if yes %}\nB\n  {% endif %}\n\nC\n{% for i in items %}\n- {{ i }}\n{% endfor %}\nEnd"

    assert str(sandbox.render(source, {"yes": True, "items": [1, 2]})) == "A\nB\n\nC\n- 1\n- 2\nEnd"
    assert str(sandbox.render(source, {"yes": False, "items": []})) == "A\n\nC\nEnd"


def test_errors_keep_their_line_numbers():
    with pytest.raises(sandbox.TemplateProblem) as problem:
        sandbox.render("One\n{% if yes %}\nThree\n{% endif %}\n{{ nope }}", {"yes": True})

    assert problem.value.line == 5


# --- the subject as it reads -----------------------------------------------------------------------------------------


def test_a_note_keeps_its_subject_as_it_reads(office, secretariat, meeting):
    note = factories.draft(office, secretariat, meeting=meeting)

    assert note.subject == "Invitation to the {{ meeting.title }}"
    assert note.subject_text == note.title == "Invitation to the Eleventh Meeting of States Parties"
    assert str(note) == "Draft – Invitation to the Eleventh Meeting of States Parties"


def test_a_subject_with_an_error_shows_as_typed(office, secretariat):
    note = factories.draft(office, secretariat, subject="About {{ meeting.nope }}")

    assert note.title == "About {{ meeting.nope }}"


def test_issue_freezes_the_subject_as_it_reads(note, secretariat, issue):
    issued = issue(note, secretariat, dispatch=False)

    assert str(issued) == f"{issued.reference} – Invitation to the Eleventh Meeting of States Parties"


# --- template ownership ----------------------------------------------------------------------------------------------


@pytest.fixture
def other_office(db):
    return factories.OfficeFactory(name="Permanent Mission of Elsewhere", kind="presidency", state=factories.party()[0])


@pytest.fixture
def shared_template(db):
    return NoteTemplate.objects.create(name="Invitation", form=Form.NOTE_VERBALE, subject="S", body="B")


def own_template(office, name="Invitation"):
    return NoteTemplate.objects.create(name=name, form=Form.NOTE_VERBALE, subject="S", body="B", office=office)


def test_an_office_changes_its_own_templates_only(member, office, other_office, shared_template):
    assert permissions.can_change_template(member, own_template(office))
    assert not permissions.can_change_template(member, own_template(other_office))
    assert not permissions.can_change_template(member, shared_template)


def test_the_secretariat_manages_shared_templates_not_an_office_s_own(secretariat, office, shared_template):
    assert permissions.can_change_template(secretariat, shared_template)
    assert permissions.can_own_template(secretariat, None)
    assert not permissions.can_change_template(secretariat, own_template(office))


def test_an_office_member_cannot_create_shared_templates(member, office):
    assert not permissions.can_own_template(member, None)
    assert permissions.can_own_template(member, office)


def test_offices_draft_from_shared_templates_and_their_own(member, office, other_office, shared_template):
    mine, theirs = own_template(office), own_template(other_office)

    assert permissions.can_use_template(member, shared_template)
    assert permissions.can_use_template(member, mine)
    assert not permissions.can_use_template(member, theirs)
    assert set(selectors.usable_templates(member)) == {shared_template, mine}


def test_template_save_refuses_an_office_changing_shared_wording(member, shared_template):
    shared_template.body = "Changed"

    with pytest.raises(services.CorrespondenceError, match="copy it for your office"):
        services.template_save(template=shared_template, user=member)

    shared_template.refresh_from_db()
    assert shared_template.body == "B"


def test_template_save_lets_the_owner_change_it(member, office):
    template = own_template(office)
    template.body = "{{ opening }} changed."

    services.template_save(template=template, user=member)

    template.refresh_from_db()
    assert template.body == "{{ opening }} changed."


def test_copy_for_my_office(member, office, shared_template):
    copy = services.template_copy(template=shared_template, office=office, user=member)

    assert (copy.office, copy.name, copy.language, copy.body) == (office, "Invitation", "en", "B")
    assert permissions.can_change_template(member, copy)
    assert permissions.can_copy_template(member, shared_template)
    assert not permissions.can_copy_template(member, copy)  # already the office's own
    assert NoteTemplate.objects.filter(office=None, name="Invitation").count() == 1

    with pytest.raises(services.CorrespondenceError, match="already has its own"):
        services.template_copy(template=shared_template, office=office, user=member)


def test_nobody_copies_for_an_office_they_are_not_in(member, other_office, shared_template):
    with pytest.raises(services.CorrespondenceError, match="You cannot copy"):
        services.template_copy(template=shared_template, office=other_office, user=member)
    assert not NoteTemplate.objects.filter(office=other_office).exists()


# --- the confirmation before issue --------------------------------------------------------------------------------


def test_the_plan_says_what_issuing_will_do_and_does_nothing(office, secretariat, meeting, parties):
    factories.party(name="Niue", emails="")
    ReferenceCounter.objects.create(office=office, year=2023, last_seq=49)
    note = factories.draft(office, secretariat, meeting=meeting)
    note.enclosures.add(DocumentFactory(meeting=meeting, symbol="CCM/MSP/2023/1"))

    plan = services.note_issue_plan(note=note, user=secretariat, issue_date=factories.ISSUE_DATE)

    assert len(plan.addressees) == 4
    assert [a.name for a in plan.by_hand] == ["Permanent Mission of Niue at Geneva"]
    assert len(plan.by_email) == 3
    assert plan.expected_reference == f"{office.code}/2023-050"
    assert [d.symbol for d in plan.enclosures] == ["CCM/MSP/2023/1"]
    assert plan.reply_to == "office@example.org"
    note.refresh_from_db()
    assert note.status == Note.Status.DRAFT
    assert ReferenceCounter.objects.get(office=office, year=2023).last_seq == 49


def test_issuing_what_was_confirmed(note, secretariat, django_capture_on_commit_callbacks):
    plan = services.note_issue_plan(note=note, user=secretariat, issue_date=factories.ISSUE_DATE)

    with django_capture_on_commit_callbacks(execute=True):
        issued = services.note_issue(
            note=note, user=secretariat, issue_date=factories.ISSUE_DATE, confirmed=plan.digest
        )

    assert issued.reference == plan.expected_reference
    assert issued.copies.count() == len(plan.addressees) == 3


def test_copies_that_changed_since_the_confirmation_are_not_sent(note, secretariat):
    plan = services.note_issue_plan(note=note, user=secretariat, issue_date=factories.ISSUE_DATE)
    factories.party(name="Newcomer")

    with pytest.raises(services.CorrespondenceError, match="changed since you confirmed them"):
        services.note_issue(note=note, user=secretariat, issue_date=factories.ISSUE_DATE, confirmed=plan.digest)

    note.refresh_from_db()
    assert note.status == Note.Status.DRAFT and not note.copies.exists()
    assert not ReferenceCounter.objects.filter(last_seq__gt=0).exists()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("no_addressees", "The note has no addressees"),
        ("organisation", "Organisations receive letters, not notes verbales"),
        ("wording", "The wording has an error (body, line 3"),
        ("letter_unsigned", "A signed letter needs at least one signatory"),
    ],
)
def test_the_plan_refuses_with_a_clear_message(office, secretariat, meeting, parties, setup, message):
    groups = [] if setup == "no_addressees" else [AddresseeGroup.STATES_PARTIES]
    if setup == "organisation":
        groups.append(AddresseeGroup.OBSERVER_ORGANISATIONS)
        OrganisationFactory().observer_by_right.add(ccm())
    body = "{{ opening }}\n\n{{ meeting.nope }}" if setup == "wording" else factories.BODY
    form = Form.LETTER if setup == "letter_unsigned" else Form.NOTE_VERBALE
    note = factories.draft(office, secretariat, meeting=meeting, groups=groups, body=body, form=form)

    with pytest.raises(services.CorrespondenceError, match=message.replace("(", r"\(")):
        services.note_issue_plan(note=note, user=secretariat)


def test_only_who_may_issue_gets_a_plan(note, outsider, member):
    with pytest.raises(services.CorrespondenceError, match="You cannot issue notes of this office"):
        services.note_issue_plan(note=note, user=outsider)
    assert services.note_issue_plan(note=note, user=member).addressees


# --- the sender ------------------------------------------------------------------------------------------------------


def test_mail_goes_out_in_the_office_s_name_with_reply_to(note, secretariat, issue, settings):
    settings.DEFAULT_FROM_EMAIL = "CCM Portal <no-reply@ccm-portal.example>"
    issue(note, secretariat)

    message = mail.outbox[0]
    assert email.utils.parseaddr(message.message()["From"]) == (note.office.name, "no-reply@ccm-portal.example")
    assert message.message()["Reply-To"] == "office@example.org"
    assert message.reply_to == ["office@example.org"]


def test_an_office_name_in_arabic_is_encoded_in_the_header(office, secretariat, parties, issue):
    office.name = "البعثة الدائمة لجمهورية العراق, Geneva"
    office.save()
    issue(factories.draft(office, secretariat), secretariat)

    raw = mail.outbox[0].message().as_bytes()
    (sender,) = email.message_from_bytes(raw, policy=email.policy.default)["From"].addresses

    assert mail.outbox[0].message()["From"].isascii()  # encoded, as RFC 2047 asks
    assert (sender.display_name, sender.addr_spec) == (office.name, "no-reply@ccm-portal.localhost")


def test_without_an_office_e_mail_there_is_no_reply_to(office, secretariat, parties, issue):
    office.email = ""
    office.save()
    issue(factories.draft(office, secretariat), secretariat)

    assert mail.outbox[0].reply_to == []


def test_latin_values_in_an_arabic_note_keep_their_own_direction(office, secretariat, meeting):
    note = factories.draft(office, secretariat, meeting=meeting, language="ar")

    context = note_context(note, Addressee(key="state:NOR", name="Permanent Mission of Norway"))

    assert context["meeting"]["title"] == "\u2068Eleventh Meeting of States Parties\u2069"
    assert "\u2068Permanent Mission of Norway\u2069" in context["opening"]
    english = note_context(factories.draft(office, secretariat, meeting=meeting), Addressee(key="x", name="N"))
    assert "\u2068" not in str(english)
