import datetime as dt
from types import SimpleNamespace

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import sandbox
from .models import AddresseeGroup, Form, Language, Note, NoteTemplate
from .rendering import Addressee, note_context


def _sample_context(form: str, language: str) -> dict:
    """A full context with made-up values, to check wording before any note uses it."""
    office = SimpleNamespace(
        name="Sample Office",
        city="Geneva",
        code="SO",
        name_in=lambda language, fallback=True: "Sample Office" if fallback else "",
    )
    meeting = SimpleNamespace(
        title="Sample Meeting",
        title_in=lambda language: "Sample Meeting",
        short_code="1MSP",
        get_kind_display=lambda: "Meeting of States Parties",
        start_date=dt.date(2030, 9, 10),
        end_date=dt.date(2030, 9, 13),
        start_time=None,
        city="Geneva",
        venue="Palais des Nations",
        room="Room XIX",
        venue_address="Avenue de la Paix 8-14, Geneva",
        location="Room XIX, Palais des Nations, Geneva",
        registration_opens=dt.date(2030, 6, 1),
        registration_deadline=dt.date(2030, 8, 20),
        delegation_details_deadline=dt.date(2030, 8, 31),
        rsvp_contact="",
        rsvp_email="",
        rsvp_by=None,
        slug="sample",
    )
    treaty = SimpleNamespace(name="Sample Convention", short_name="Sample Convention", code="CCM")
    note = SimpleNamespace(
        office=office,
        language=language,
        form=form,
        meeting=meeting,
        treaty=treaty,
        reference="",
        issue_date=None,
    )
    return note_context(note, Addressee(key="sample", name="Permanent Mission of Sample"), enclosures=[])


class WordingCheckMixin:
    """Reject wording that does not render, with the line of the problem."""

    def _check_wording(self, form: str, language: str) -> None:
        context = _sample_context(form, language)
        for field in ("subject", "body", "postscript"):
            value = self.cleaned_data.get(field)
            if value is None:
                continue
            try:
                sandbox.check(value, context, field=field)
            except sandbox.TemplateProblem as problem:
                self.add_error(field, str(problem))


class NoteTemplateForm(WordingCheckMixin, forms.ModelForm):
    class Meta:
        model = NoteTemplate
        fields = ["name", "form", "language", "subject", "body", "office"]

    def clean(self):
        cleaned = super().clean()
        self._check_wording(cleaned.get("form") or "note_verbale", cleaned.get("language") or "en")
        return cleaned


class NoteForm(WordingCheckMixin, forms.ModelForm):
    addressee_groups = forms.MultipleChoiceField(
        choices=AddresseeGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Addressee groups"),
        help_text=_("Resolved from treaty status on the issue date."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "treaty" in self.fields:
            # The meeting names its treaty; the treaty alone is for notes about no meeting.
            self.fields["treaty"].required = False
            self.fields["treaty"].help_text = _("Taken from the meeting when left empty.")
        for name in ("form", "language"):
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].help_text = _("Taken from the template when left empty.")

    class Meta:
        model = Note
        fields = [
            "office",
            "treaty",
            "meeting",
            "template",
            "form",
            "language",
            "subject",
            "salutation",
            "body",
            "postscript",
            "addressee_groups",
            "addressee_states",
            "addressee_organisations",
            "addressee_block",
            "letterhead_lines",
            "footer_lines",
            "dateline",
            "enclosures",
            "append_enclosures",
        ]

    def clean(self):
        cleaned = super().clean()
        meeting, treaty, template = cleaned.get("meeting"), cleaned.get("treaty"), cleaned.get("template")
        if meeting and treaty and meeting.treaty_id != treaty.pk:
            self.add_error(
                "meeting",
                gettext("This meeting is under the %(meeting_treaty)s, not the %(treaty)s.")
                % {"meeting_treaty": meeting.treaty, "treaty": treaty},
            )
        elif meeting and not treaty:
            cleaned["treaty"] = meeting.treaty
        elif not treaty and "treaty" in self.fields:
            self.add_error(
                "treaty", gettext("Choose the meeting the note is about, or the treaty when it is about none.")
            )
        for name, default in (("form", Form.NOTE_VERBALE), ("language", "en")):
            if name in self.fields and not cleaned.get(name):
                cleaned[name] = getattr(template, name) if template else default
        self._check_wording(cleaned.get("form") or "note_verbale", cleaned.get("language") or "en")
        return cleaned


class ConfirmForm(forms.Form):
    """The workflow buttons post nothing but the CSRF token; a form keeps the views uniform."""


class IssueConfirmForm(forms.Form):
    """The officer confirms exactly the copies the confirmation page listed."""

    confirmed = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=64)


class PlaceholdersForm(forms.Form):
    """What the note being typed says so far: the placeholders' values follow it."""

    office = forms.IntegerField(required=False)
    meeting = forms.IntegerField(required=False)
    treaty = forms.IntegerField(required=False)
    language = forms.ChoiceField(choices=Language.choices, required=False)
    form = forms.ChoiceField(choices=Form.choices, required=False)


class AddressCorrectForm(forms.Form):
    """An address the mail server refused, and the one to send to instead."""

    address = forms.ChoiceField(label=_("Refused address"))
    new_address = forms.EmailField(label=_("Send to"), help_text=_("Only this address is mailed; the others are not."))

    def __init__(self, *args, refused: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].choices = [(address, address) for address in refused]
