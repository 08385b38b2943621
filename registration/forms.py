import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from common.uploads import validate_pdf
from common.widgets import PythonWidgetRenderer
from treaties.models import Organisation, State

from . import rules
from .models import Member
from .selectors import alphabetical
from .services import MemberData

# The member rows are most of the delegation form's widgets: written in Python, not through templates.
WIDGET_RENDERER = PythonWidgetRenderer()


class MemberForm(forms.Form):
    default_renderer = WIDGET_RENDERER

    title = forms.ChoiceField(label=_("Title"), choices=[("", "—"), *Member.Title.choices])
    given_name = forms.CharField(label=_("Given name"), max_length=120)
    family_name = forms.CharField(label=_("Family name"), max_length=120)
    role = forms.ChoiceField(label=_("Role"), choices=Member.Role.choices, initial=Member.Role.ADVISER)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", _("Prefer not to say")), *Member.Gender.choices],
        required=False,
        help_text=_("For the statistics, and “H.E. Ms.” or “H.E. Mr.” in the list of participants."),
    )
    days = forms.TypedMultipleChoiceField(
        label=_("Days"),
        required=False,
        coerce=dt.date.fromisoformat,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every day."),
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            # "Mon 11 Sep" in the reader's language: the names of days and months from Django's catalogues.
            self.fields["days"].choices = [(d.isoformat(), formats.date_format(d, "D j M")) for d in _days(meeting)]

    def to_data(self) -> MemberData:
        c = self.cleaned_data
        return MemberData(
            title=c["title"],
            family_name=c["family_name"],
            given_name=c["given_name"],
            role=c["role"],
            position=c.get("position", ""),
            email=c.get("email", ""),
            gender=c.get("gender", ""),
            days=tuple(c.get("days") or ()),
        )


def _days(meeting):
    day = meeting.start_date
    while day <= meeting.end_date:
        yield day
        day += dt.timedelta(days=1)


class BaseMemberFormSet(forms.BaseFormSet):
    """Checks across rows, shown next to the rows concerned: one head, no one twice."""

    def __init__(self, *args, meeting=None, **kwargs):
        self.meeting = meeting
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "meeting": self.meeting}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            meeting=self.meeting,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    def clean(self):
        if any(self.errors):
            return
        forms_ = [f for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]
        rows = [f.to_data() for f in forms_]
        # The rules are registration.rules', checked again by the service: here they only place the message.
        if not rules.has_members(rows):
            raise ValidationError(_("Add at least one member."))
        if not rules.heads(rows):
            raise ValidationError(_("Mark one member as head of delegation."))
        for i in rules.extra_heads(rows):
            forms_[i].add_error("role", _("There is already a head of delegation; choose another role."))
        for i in rules.repeated(rows):
            forms_[i].add_error("family_name", _("This person is already listed."))

    def members(self) -> list[MemberData]:
        return [f.to_data() for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]


# No blank row after the members already listed: "Add a member" (static/js/delegation.js) adds one when needed.
MemberFormSet = forms.formset_factory(
    MemberForm,
    formset=BaseMemberFormSet,
    extra=0,
    can_delete=True,
    max_num=rules.MAX_MEMBERS,
    validate_max=True,
    renderer=WIDGET_RENDERER,
)


class DelegationMetaForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CredentialsForm(forms.Form):
    file = forms.FileField(label=_("Credentials letter (PDF)"), validators=[validate_pdf])

    def __init__(self, *args, required: bool = True, **kwargs):
        # Beside the members the letter is optional: it can follow once the list is saved.
        super().__init__(*args, **kwargs)
        self.fields["file"].required = required


class UNOrderChoiceIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in sorted(self.queryset, key=lambda o: alphabetical(self.field.label_from_instance(o))):
            yield self.choice(obj)


class UNOrderChoiceField(forms.ModelChoiceField):
    """Names in the UN's order whatever the database's collation: Côte d'Ivoire among the Cs, not after Czechia."""

    iterator = UNOrderChoiceIterator


class FocalPointRequestForm(forms.Form):
    state = UNOrderChoiceField(
        label=_("State"),
        queryset=State.objects.all(),
        required=False,
        help_text=_("Choose a State, or an organisation below."),
    )
    organisation = UNOrderChoiceField(label=_("Organisation"), queryset=Organisation.objects.all(), required=False)
    reason = forms.CharField(
        label=_("Who you are"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your position and your ministry or mission, e.g. First Secretary, Permanent Mission in Geneva."),
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("state")) == bool(cleaned.get("organisation")):
            raise ValidationError(_("Choose one State or one organisation."))
        return cleaned


class ReturnForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason for returning"))


class ProfileForm(forms.Form):
    """The person's name and the ministry or mission they act for: asked at sign-up, changed on "Your details"."""

    first_name = forms.CharField(
        label=_("Given name"), max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Family name"), max_length=150, widget=forms.TextInput({"autocomplete": "family-name"})
    )
    affiliation = forms.CharField(
        label=_("Ministry or mission"),
        max_length=200,
        help_text=_("e.g. Permanent Mission of Mexico to the United Nations Office at Geneva"),
        widget=forms.TextInput({"autocomplete": "organization"}),
    )
