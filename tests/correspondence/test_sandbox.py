"""Staff wording runs in a sandbox: only the note's plain values, errors reported with their line."""

import pytest
from django.urls import reverse

from correspondence import sandbox, services
from correspondence.models import Note, NoteTemplate
from correspondence.rendering import Addressee, note_context

from . import factories

pytestmark = pytest.mark.django_db

ESCAPES = [
    "{{ meeting.__class__ }}",
    "{{ meeting.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ addressee.name.__class__.__base__ }}",
    "{{ addressee.__init__.__globals__ }}",
    "{{ meeting.items() }}",
    "{{ meeting.items }}",
    "{{ addressee.name.format }}",
    "{{ addressee.name.format(1) }}",
    "{{ addressee.name.upper() }}",
    "{{ '{0.__class__}'.format(addressee) }}",
    "{{ enclosures.append(1) }}",
    "{% for x in range(3) %}{{ x }}{% endfor %}",
    "{{ lipsum() }}",
    "{{ cycler }}",
    "{{ config }}",
    "{{ settings.SECRET_KEY }}",
    "{{ request }}",
    "{{ meeting.unknown_placeholder }}",
    "{{ unknown }}",
]


@pytest.fixture
def context(note):
    return note_context(note, Addressee(key="state:NOR", name="Permanent Mission of Norway"))


@pytest.mark.parametrize("source", ESCAPES)
def test_escapes_and_unknown_placeholders_are_refused(context, source):
    with pytest.raises(sandbox.TemplateProblem):
        sandbox.render(f"Dear colleagues,\n\n{source}\n", context)


def test_plain_values_render(context):
    source = (
        "{{ opening }} invite it to the {{ meeting.title }} ({{ meeting.dates }}) — {{ meeting.start_date|longdate }}"
        "{% for e in enclosures %}{{ e.symbol }}{% if not loop.last %}, {% endif %}{% endfor %}"
    )

    rendered = sandbox.render(source, context)

    assert "invite it to the Eleventh Meeting of States Parties (10 to 13 September 2030) — 10 September 2030" in (
        rendered
    )


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("First line\n\nThird {{ meeting.title }", 3),  # syntax error
        ("First line\nSecond line\n{% if %}\nFourth", 3),
        ("First line\n\n{{ meeting.no_such_field }}\n\nFifth", 3),  # unknown placeholder
        ("First {{ opening }}\n\nThird {{ meeting.__class__ }}", 3),  # refused attribute
        ("One\nTwo\nThree\nFour\n{% for x in range(3) %}{{ x }}{% endfor %}", 5),  # no globals
    ],
)
def test_errors_report_their_line(context, source, line):
    with pytest.raises(sandbox.TemplateProblem) as problem:
        sandbox.render(source, context, field="body")

    assert problem.value.line == line
    assert problem.value.field == "body"
    assert str(problem.value).startswith(f"body, line {line}: ")


def test_context_values_are_escaped():
    rendered = sandbox.render("{{ name }}", {"name": "<b>bold</b> & <script>"})

    assert str(rendered) == "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;"
    assert sandbox.plain_text(sandbox.paragraphs(rendered)) == "<b>bold</b> & <script>"


BAD_BODY = "{{ opening }} invite it.\n\n{{ meeting.title }} {% for x in range(3) %}{% endfor %}\nand {{ meeting.nope"


def test_note_template_admin_form_shows_the_line_and_does_not_save(admin_client):
    response = admin_client.post(
        reverse("admin:correspondence_notetemplate_add"),
        {
            "name_en": "Broken",
            "form": "note_verbale",
            "language": "en",
            "subject": "Invitation to the {{ meeting.title }}",
            "body": "{{ opening }} invite it.\n\n{{ meeting.title }}\n{{ meeting.nope }}",
        },
    )

    assert response.status_code == 200
    assert "body, line 4" in response.content.decode()
    assert not NoteTemplate.objects.filter(name="Broken").exists()


def test_note_template_admin_form_reports_a_syntax_error_with_its_line(admin_client):
    response = admin_client.post(
        reverse("admin:correspondence_notetemplate_add"),
        {
            "name_en": "Broken",
            "form": "note_verbale",
            "language": "en",
            "subject": "Invitation {{ meeting.title",
            "body": "{{ opening }}\n\n{{ closing }}",
        },
    )

    assert response.status_code == 200
    assert "subject, line 1" in response.content.decode()
    assert not NoteTemplate.objects.exists()


def test_a_good_note_template_is_saved(admin_client):
    response = admin_client.post(
        reverse("admin:correspondence_notetemplate_add"),
        {
            "name_en": "Fine",
            "form": "note_verbale",
            "language": "fr",
            "subject": "Invitation : {{ meeting.title }}",
            "body": "{{ opening }} l'inviter.\n\n{{ closing }}",
        },
    )

    assert response.status_code == 302
    assert NoteTemplate.objects.get(name="Fine").language == "fr"


def test_note_admin_form_shows_the_line_and_does_not_save(admin_client, note):
    original = note.body
    response = admin_client.post(
        reverse("admin:correspondence_note_change", args=[note.pk]),
        {
            "office": note.office_id,
            "treaty": note.treaty_id,
            "meeting": note.meeting_id,
            "form": note.form,
            "language": note.language,
            "subject": note.subject,
            "body": "{{ opening }} invite it.\n\nSecond paragraph {{ addressee.name.__class__ }}",
            "addressee_groups": note.addressee_groups,
            "signatories-TOTAL_FORMS": "0",
            "signatories-INITIAL_FORMS": "0",
            "individuals-TOTAL_FORMS": "0",
            "individuals-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "body, line 3" in response.content.decode()
    note.refresh_from_db()
    assert note.body == original


def test_preview_shows_the_error_with_its_line(admin_client, note):
    Note.objects.filter(pk=note.pk).update(body="{{ opening }} invite it.\n\n{{ meeting.titel }}")

    for name in ("admin:correspondence_note_preview", "admin:correspondence_note_preview_pdf"):
        response = admin_client.get(reverse(name, args=[note.pk]))

        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        text = response.content.decode()
        assert "The note cannot be previewed" in text
        assert "line 3" in text
        assert "titel" in text


def test_issue_refuses_wording_that_does_not_render(note, secretariat, issue):
    Note.objects.filter(pk=note.pk).update(body="{{ opening }}\n\n{{ meeting.titel }}")

    with pytest.raises(sandbox.TemplateProblem) as problem:
        issue(note, secretariat)

    assert problem.value.line == 3
    note.refresh_from_db()
    assert (note.status, note.reference, note.seq) == (Note.Status.DRAFT, "", None)
    assert not note.copies.exists()


def test_preview_renders_for_the_first_addressee(admin_client, note):
    response = admin_client.get(reverse("admin:correspondence_note_preview", args=[note.pk]))

    assert response.status_code == 200
    text = response.content.decode()
    assert "presents its compliments to the Permanent Mission of Partyland 0 at Geneva" in text
    assert "[reference on issue]" in text


def test_preview_pdf_is_a_pdf(admin_client, note):
    response = admin_client.get(reverse("admin:correspondence_note_preview_pdf", args=[note.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Partyland 0" in factories.pdf_text(response.content)


def test_submit_refuses_wording_that_does_not_render(approval_office, meeting, parties):
    drafter = factories.presidency_user(approval_office)
    note = factories.draft(approval_office, drafter, meeting=meeting, body="{{ opening }}\n{{ meeting.x }}")

    with pytest.raises(sandbox.TemplateProblem):
        services.note_submit(note=note, user=drafter)

    note.refresh_from_db()
    assert note.status == Note.Status.DRAFT


# --- resource limits: wording cannot tie up a worker or its memory ---------------------------------------------------

COSTLY = [
    ("{{ 9 ** (9 ** 8) }}", "a number too large to write out"),
    ("{{ (10 ** 1000) * (10 ** 1000) }}", "a number too large to write out"),
    ("{{ 'x' * 400000000 }}", "more than 200,000 characters"),
    ("{{ [1, 2, 3] * 100000000 }}", "more than 200,000 characters"),
    ("{{ ('x' * 150000) + ('y' * 150000) }}", "more than 200,000 characters"),
    ("{{ 'x' | center(1000000000) }}", "argument may not exceed 200,000"),
    (
        "{{ 'x' | replace('x', 'xxxxxxxxxx') | replace('x', 'xxxxxxxxxx') | replace('x', 'xxxxxxxxxx')"
        " | replace('x', 'xxxxxxxxxx') | replace('x', 'xxxxxxxxxx') | replace('x', 'xxxxxxxxxx') }}",
        "more than 200,000 characters",
    ),
    ("{% set a = 'xxxxxxxxxx' %}{% set a = a ~ a %}{{ a }}", "{% set %} is not available in wording"),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "{% macro %} is not available in wording"),
    (
        "{% for a in 'x' * 100000 %}{% for b in 'x' * 100000 %}{% endfor %}{% endfor %}",
        "a loop inside a loop is not available in wording",
    ),
    ("{% for a in 'x' * 199999 %}{{ 'yyyyyyyyyy' }}{% endfor %}", "more than 200,000 characters"),
]


@pytest.mark.parametrize(("source", "reason"), COSTLY)
def test_wording_that_would_cost_cpu_or_memory_is_refused_at_once(context, source, reason):
    import resource
    import time

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.process_time()
    with pytest.raises(sandbox.TemplateProblem) as refused:
        sandbox.render(f"Dear colleagues,\n\n{source}\n", context)
    assert reason in str(refused.value)
    assert time.process_time() - started < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KiB


def test_rendering_time_is_bounded(context, monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_SECONDS", -1)  # every piece arrives "too late"
    with pytest.raises(sandbox.TemplateProblem) as refused:
        sandbox.render("{{ opening }} invite it.", context)
    assert "took more than" in str(refused.value)


def test_ordinary_arithmetic_and_filters_still_work(context):
    rendered = sandbox.render(
        "{{ 2 ** 10 }} · {{ 3 * 4 }} · {{ 'ab' * 3 }} · {{ 'x' | center(5) }}|{{ enclosures | length }}", context
    )
    assert str(rendered) == "1024 · 12 · ababab ·   x  |0"
