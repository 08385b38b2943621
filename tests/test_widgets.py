"""The member rows' widgets and fields, written in Python (common/widgets.py, the form_field tag), are
the HTML that Django's widget templates and templates/_field.html write."""

import pytest
from django.forms.renderers import DjangoTemplates
from django.template.loader import render_to_string

from registration.forms import WIDGET_RENDERER, MemberFormSet
from registration.templatetags.form_fields import form_field
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _both(form_or_formset) -> list[tuple[str, str]]:
    """Each field's HTML from the Python renderer and from Django's templates."""
    pairs = []
    for bound in form_or_formset:
        fast = str(bound)
        bound.form.renderer = DjangoTemplates()
        pairs.append((fast, str(bound)))
        bound.form.renderer = WIDGET_RENDERER
    return pairs


@pytest.mark.parametrize("bound", [False, True], ids=["new", "with errors"])
def test_member_widgets_are_djangos_html(bound):
    meeting = MeetingFactory()
    if bound:
        data = {
            "members-TOTAL_FORMS": "2",
            "members-INITIAL_FORMS": "1",
            "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "60",
            "members-0-title": "H.E.",
            "members-0-given_name": 'Ana <b>"&',  # escaped the same way
            "members-0-role": "head",
            "members-0-email": "not an address",
            "members-0-days": [meeting.start_date.isoformat()],
            "members-0-DELETE": "on",
            "members-1-gender": "f",
        }
        formset = MemberFormSet(data, meeting=meeting, prefix="members")
        assert not formset.is_valid()  # errors give aria-invalid, which must survive
    else:
        formset = MemberFormSet(initial=[{"role": "head", "gender": "x"}], meeting=meeting, prefix="members")
    forms_ = [*formset.forms, formset.empty_form, formset.management_form]
    pairs = [pair for form in forms_ for pair in _both(form)]
    assert len(pairs) > 20
    for fast, django in pairs:
        assert fast == django
    html = "".join(fast for fast, _ in pairs)
    assert 'value="Ana &lt;b&gt;&quot;&amp;"' in html if bound else 'value="x" selected' in html
    assert 'aria-invalid="true"' in html if bound else 'type="checkbox"' in html


@pytest.mark.parametrize("bound", [False, True], ids=["new", "with errors"])
def test_form_field_tag_is_the_field_template(bound):
    meeting = MeetingFactory()
    data = {
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "60",
        "members-0-given_name": "<Ana>",
        "members-0-email": "not an address",
    }
    formset = MemberFormSet(data if bound else None, meeting=meeting, prefix="members")
    formset.is_valid()
    fields = [field for form in [*formset.forms, formset.empty_form, formset.management_form] for field in form]
    for field in fields:
        assert form_field(field) == render_to_string("_field.html", {"field": field})
    html = "".join(form_field(field) for field in fields)
    # The help text is the one the widget's aria-describedby names.
    assert 'aria-describedby="id_members-__prefix__-gender_helptext"' in html
    assert 'id="id_members-__prefix__-gender_helptext"' in html
    if bound:
        assert 'class="field has-error"' in html and "Enter a valid email address." in html
