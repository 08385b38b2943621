"""Registration in the reader's language: form errors, messages, the list of participants and the credentials
report in the active language; e-mails in their recipient's language, whoever caused them."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from correspondence.models import Email
from registration import selectors, services
from registration.forms import FocalPointRequestForm, MemberFormSet
from registration.models import Profile
from registration.resources import ParticipantResource
from tests.factories import ParticipationFactory, StateFactory, UserFactory

from .conftest import delegation_url, focal_point, formset_data, head, member, register, row


def _formset_errors(rows) -> list[str]:
    formset = MemberFormSet(formset_data(rows), prefix="members")
    assert not formset.is_valid()
    return [str(e) for e in formset.non_form_errors()] + [
        str(e) for form in formset.forms for errors in form.errors.values() for e in errors
    ]


@pytest.mark.parametrize(
    ("language", "no_head", "listed_twice"),
    [
        ("en", "Mark one member as head of delegation.", "This person is already listed."),
        ("fr", "Désignez un membre comme chef de délégation.", "Cette personne figure déjà sur la liste."),
        ("ar", "حدد عضواً واحداً بصفته رئيس الوفد.", "هذا الشخص مدرج بالفعل."),
    ],
)
def test_the_member_forms_errors_are_in_the_active_language(db, language, no_head, listed_twice):
    with translation.override(language):
        assert _formset_errors([row("Okonkwo")]) == [no_head]
        twice = _formset_errors([row("Okonkwo", role="head"), row("OKONKWO ")])
        assert twice == [listed_twice]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Choisissez un État ou une organisation."), ("ar", "اختر دولة واحدة أو منظمة واحدة.")],
)
def test_the_focal_point_request_form_says_what_is_wrong_in_the_active_language(db, language, expected):
    with translation.override(language):
        form = FocalPointRequestForm(data={"reason": "Counsellor"})
        assert not form.is_valid()
        assert form.non_field_errors() == [expected]
        assert str(form.fields["reason"].label) == {"fr": "Qui vous êtes", "ar": "من أنت"}[language]


def test_the_delegation_page_answers_in_the_browsers_language(meeting, focal_a, state_a, login):
    client = login(focal_a)
    response = client.post(delegation_url(meeting, state_a), formset_data([row("Okonkwo")]), HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    assert "Désignez un membre comme chef de délégation." in page
    assert [str(m) for m in response.context["messages"]] == [
        "Certaines saisies demandent votre attention\u00a0; rien n'a encore été enregistré."
    ]


def test_the_services_refusals_are_in_the_active_language(meeting, focal_a, state_a):
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        services.delegation_save(
            meeting=meeting, user=focal_a, members=[head("Okonkwo"), head("Lindqvist")], state=state_a
        )
    assert error.value.messages == [
        "Un seul chef de délégation\u00a0: Okonkwo, Lindqvist sont tous indiqués comme chef."
    ]


# --- notifications --------------------------------------------------------------------------------------------------


@pytest.fixture
def francia(db):
    state = StateFactory(name_en="Francia", name_fr="Francie", name_es="Francia (es)")
    ParticipationFactory(state=state)
    return state


def _speaks(user, language: str) -> None:
    Profile.objects.update_or_create(user=user, defaults={"language": language})


def test_a_notification_goes_out_in_the_focal_points_profile_language(meeting, francia, secretariat, monkeypatch):
    """The secretariat works in English; each focal point reads the decision in the language they chose."""
    french, english = UserFactory(username="fp.fr@example.org"), UserFactory(username="fp.en@example.org")
    for user in (french, english):
        focal_point(user, state=francia)
    _speaks(french, "fr")
    rendered = []
    real = services.render_to_string

    def spy(template, context):
        rendered.append((context["recipient"].email, translation.get_language(), template))
        return real(template, context)

    monkeypatch.setattr(services, "render_to_string", spy)
    delegation = register(meeting, french, [head("Okonkwo")], state=francia, submit=True)
    rendered.clear()
    Email.objects.all().delete()

    with translation.override("en"):
        services.delegation_decide(delegation=delegation, by=secretariat, approve=True)
        # The secretariat's own language is as it was.
        assert translation.get_language() == "en"

    languages = {(email, language) for email, language, _ in rendered}
    assert languages == {("fp.fr@example.org", "fr"), ("fp.en@example.org", "en")}
    by_person = {email.to: email for email in Email.objects.all()}
    # What the code puts in the message is in the recipient's language: the State's name and the dates.
    french_mail = by_person["fp.fr@example.org"]
    assert "Francie" in french_mail.subject and "Francie" in french_mail.body
    assert f"du {meeting.start_date.day}" in french_mail.body or f"{meeting.start_date.day} au" in french_mail.body
    english_mail = by_person["fp.en@example.org"]
    assert "Francia" in english_mail.subject and "Francie" not in english_mail.body


def test_without_a_chosen_language_the_portals_language_is_used(delegate, state_a, secretariat, settings, monkeypatch):
    seen = []
    real = services.render_to_string
    monkeypatch.setattr(
        services, "render_to_string", lambda t, c: seen.append(translation.get_language()) or real(t, c)
    )
    request = services.focal_point_request(user=delegate, state=state_a, reason="First Secretary")

    with translation.override("ar"):  # the officer deciding reads Arabic
        services.focal_point_decide(focal_point=request, by=secretariat, approve=True)

    assert seen and set(seen) == {settings.LANGUAGE_CODE}


# --- outputs --------------------------------------------------------------------------------------------------------


@pytest.fixture
def listed(meeting, secretariat):
    """Two approved State delegations whose names sort differently in English and in French."""
    zeta = StateFactory(name_en="Zetaland", name_fr="Allemagne de test", name_es="Zetalandia")
    alpha = StateFactory(name_en="Alphaland", name_fr="Terre alpha", name_es="Alfalandia")
    for i, state in enumerate((zeta, alpha)):
        ParticipationFactory(state=state)
        user = UserFactory(username=f"fp{i}@example.org")
        focal_point(user, state=state)
        register(meeting, user, [head(f"Head{i}"), member(f"Adviser{i}")], state=state, approve_by=secretariat)
    return zeta, alpha


def test_the_list_of_participants_names_and_orders_states_in_the_active_language(meeting, listed):
    with translation.override("en"):
        assert [e.party_name for e in selectors.participants(meeting=meeting)] == ["Alphaland", "Zetaland"]
    with translation.override("fr"):
        assert [e.party_name for e in selectors.participants(meeting=meeting)] == ["Allemagne de test", "Terre alpha"]
    with translation.override("ar"):  # no Arabic name recorded yet: English stands in
        assert [e.party_name for e in selectors.participants(meeting=meeting)] == ["Alphaland", "Zetaland"]


def test_the_spreadsheet_headings_categories_and_names_are_in_the_active_language(meeting, listed):
    with translation.override("fr"):
        dataset = ParticipantResource(listed=selectors.participants(meeting=meeting)).export()
    rows = list(csv.reader(io.StringIO(dataset.export("csv"))))
    assert rows[0] == [
        "Catégorie",
        "État ou organisation",
        "Titre",
        "Prénom",
        "Nom de famille",
        "Fonction",
        "Poste",
        "Courriel",
    ]
    assert {r[0] for r in rows[1:]} == {"États parties"}
    assert [r[1] for r in rows[1:]][::2] == ["Allemagne de test", "Terre alpha"]
    assert "Chef de délégation" in {r[5] for r in rows[1:]}
    assert dataset.title == "Liste des participants"


def test_each_language_has_its_own_copy_of_a_cached_output(meeting, listed, secretariat, login):
    client = login(secretariat)
    url = reverse("registration:participants_file", args=[meeting.slug, "csv"])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig")
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode("utf-8-sig")
    assert english.startswith("Category,State or organisation")
    assert french.startswith("Catégorie,État ou organisation")


def test_the_credentials_report_orders_states_by_their_name_in_the_active_language(meeting, listed):
    # No credentials uploaded: both are missing.
    with translation.override("fr"):
        report = selectors.credentials_report(meeting=meeting)
    assert [d.party_name for d in report.missing] == ["Allemagne de test", "Terre alpha"]
    with translation.override("es"):
        report = selectors.credentials_report(meeting=meeting)
    assert [d.party_name for d in report.missing] == ["Alfalandia", "Zetalandia"]


def test_the_review_explains_the_category_in_the_active_language(meeting, delegation_a, secretariat):
    services.delegation_submit(delegation=delegation_a, user=delegation_a.created_by)
    with translation.override("fr"):
        review = selectors.delegation_review(pk=delegation_a.pk)
        # The labels are lazy: read in the language the page is drawn in.
        assert str(review.category) == "États parties"
        assert "premier jour de la réunion" in str(review.category_reason)
