"""Pages for focal points (their State's or organisation's registrations) and for the secretariat.

Every object is looked up through the permission rules in permissions.py: an id
changed in a URL gives 404, never someone else's data.
"""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import FormView, TemplateView

from meetings.models import Meeting
from treaties.models import Organisation, State

from . import permissions, selectors, services
from .documents import participants_pdf
from .forms import CredentialsForm, DelegationMetaForm, FocalPointRequestForm, MemberFormSet, ProfileForm
from .models import Credentials, Delegation, FocalPoint, Member, Profile
from .resources import ParticipantResource


def _party(party_key: str) -> tuple[State | None, Organisation | None]:
    kind, _, value = party_key.partition("-")
    if kind == "state":
        return get_object_or_404(State, iso3=value.upper()), None
    if kind == "org" and value.isdigit():
        return None, get_object_or_404(Organisation, pk=int(value))
    raise Http404("No such State or organisation.")


def _meeting(slug: str) -> Meeting:
    # Not its officers: only the presidency's rules read them (permissions.presides), and for the focal
    # points and the secretariat, who load these pages most, they would be a query for nothing.
    return get_object_or_404(Meeting.objects.select_related("treaty"), slug=slug)


class MyRegistrationsView(LoginRequiredMixin, TemplateView):
    template_name = "registration/my_registrations.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        focal_points = sorted(
            FocalPoint.objects.filter(user=user).select_related("state", "organisation"),
            key=lambda fp: selectors.alphabetical(str(fp.party)),
        )
        active = [fp for fp in focal_points if fp.is_active]
        meetings = [
            m
            for m in selectors.meetings_open_for_registration(today=today)
            if selectors.registration_is_open(m, today=today)
        ]
        delegations = {(d.meeting_id, d.party_key): d for d in selectors.delegations_of_user(user)}
        rows = [
            {"meeting": m, "focal_point": fp, "delegation": delegations.get((m.pk, fp.party_key))}
            for m in meetings
            for fp in active
        ]
        return super().get_context_data(
            focal_points=focal_points,
            rows=rows,
            past=sorted(
                delegations.values(),
                key=lambda d: (-d.meeting.start_date.toordinal(), selectors.alphabetical(str(d.party))),
            ),
            profile=Profile.objects.filter(user=user).first(),
            **kwargs,
        )


class InvitationView(TemplateView):
    """The link sent with an invitation. Anyone may look; accepting needs an account."""

    template_name = "registration/invitation.html"

    def get_context_data(self, **kwargs):
        try:
            invitation = services.invitation_for_token(self.kwargs["token"])
            problem = ""
            if invitation.accepted_at:
                problem = "This registration link has already been used. Ask the secretariat for a new one."
            elif invitation.expires_at <= timezone.now():
                problem = "This registration link has expired. Ask the secretariat for a new one."
        except services.RegistrationError as error:
            invitation, problem = None, str(error)
        return super().get_context_data(invitation=invitation, problem=problem, **kwargs)

    def post(self, request, token: str):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_signup')}?next={request.path}")
        try:
            focal_point = services.invitation_accept(token=token, user=request.user)
        except services.RegistrationError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        invitation = focal_point.invitation
        messages.success(request, f"You are now a focal point of {focal_point.party}.")
        return redirect("registration:delegation", slug=invitation.meeting.slug, party_key=focal_point.party_key)


class ProfileView(LoginRequiredMixin, FormView):
    """Your details: the name and ministry or mission asked at sign-up, for accounts to correct or complete."""

    template_name = "registration/profile.html"
    form_class = ProfileForm

    def get_initial(self):
        user = self.request.user
        profile = Profile.objects.filter(user=user).first()
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "affiliation": profile.affiliation if profile else "",
        }

    def form_valid(self, form):
        try:
            services.profile_update(user=self.request.user, **form.cleaned_data)
        except services.RegistrationError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, "Your details were saved.")
        return redirect("registration:mine")


class FocalPointRequestView(LoginRequiredMixin, FormView):
    template_name = "registration/focal_point_request.html"
    form_class = FocalPointRequestForm

    def form_valid(self, form):
        try:
            services.focal_point_request(user=self.request.user, **form.cleaned_data)
        except services.RegistrationError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request, "Your request went to the secretariat. You will get an e-mail when it is decided."
        )
        return redirect("registration:mine")


class DelegationView(LoginRequiredMixin, TemplateView):
    """A State's or organisation's delegation to one meeting: members, submission, credentials."""

    template_name = "registration/delegation.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.meeting = _meeting(kwargs["slug"])
        self.state, self.organisation = _party(kwargs["party_key"])
        self.is_open = selectors.registration_is_open(self.meeting, today=timezone.localdate())

    def _delegation(self) -> Delegation | None:
        return selectors.delegation_with_members(meeting=self.meeting, state=self.state, organisation=self.organisation)

    def _check_access(self, delegation: Delegation | None) -> None:
        user = self.request.user
        if delegation is not None:
            allowed = permissions.can_view_delegation(user, delegation)
        else:
            allowed = permissions.is_secretariat(user) or permissions.is_focal_point_for(
                user,
                state_id=self.state.pk if self.state else None,
                organisation_id=self.organisation.pk if self.organisation else None,
            )
        if not allowed:
            raise Http404("No such delegation.")

    def get_context_data(self, formset=None, credentials_form=None, delegation=None, **kwargs):
        kwargs.setdefault("party_key", self.kwargs["party_key"])
        delegation = delegation if delegation is not None else self._delegation()
        self._check_access(delegation)
        members = list(delegation.members.all()) if delegation else []
        if formset is None:
            initial = [
                {
                    "title": m.title,
                    "given_name": m.given_name,
                    "family_name": m.family_name,
                    "role": m.role,
                    "position": m.position,
                    "email": m.email,
                    "gender": m.gender,
                    "days": m.days,
                }
                for m in members
            ]
            formset = MemberFormSet(
                initial=initial or [{"role": Member.Role.HEAD}], meeting=self.meeting, prefix="members"
            )
        user = self.request.user
        can_edit = (
            permissions.can_edit_delegation(user, delegation, registration_open=self.is_open)
            if delegation
            else permissions.can_register_for(
                user,
                meeting=self.meeting,
                state_id=self.state.pk if self.state else None,
                organisation_id=self.organisation.pk if self.organisation else None,
                registration_open=self.is_open,
            )
        )
        return super().get_context_data(
            meeting=self.meeting,
            party=self.state or self.organisation,
            delegation=delegation,
            category_label=dict(Delegation.Category.choices)[selectors.category_of(delegation)] if delegation else "",
            formset=formset,
            meta=DelegationMetaForm(initial={"version": delegation.version if delegation else None}),
            credentials=getattr(delegation, "credentials", None) if delegation else None,
            credentials_form=credentials_form or CredentialsForm(required=not can_edit),
            can_edit=can_edit,
            can_submit=can_edit and delegation is not None and delegation.is_editable_by_focal_point and bool(members),
            can_credentials=delegation is not None and permissions.can_view_credentials(user, delegation),
            can_invite=delegation is not None
            and delegation.admission == Delegation.Admission.REQUESTED
            and permissions.can_invite_provisionally(user, self.meeting),
            is_open=self.is_open,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        delegation = self._delegation()
        self._check_access(delegation)
        if "submit" in request.POST and delegation is not None and "members-TOTAL_FORMS" not in request.POST:
            return self._submit(delegation)
        formset = MemberFormSet(request.POST, meeting=self.meeting, prefix="members")
        meta = DelegationMetaForm(request.POST)
        credentials_form = CredentialsForm(request.POST, request.FILES, required=False)
        # A browser never refills a file input: say so whenever a chosen letter was not kept.
        choose_again = " Choose the credentials letter again." if request.FILES.get("file") else ""
        if not (formset.is_valid() and meta.is_valid() and credentials_form.is_valid()):
            messages.error(request, f"Some entries need your attention; nothing was saved yet.{choose_again}")
            return self.render_to_response(
                self.get_context_data(formset=formset, credentials_form=credentials_form, delegation=delegation)
            )
        try:
            services.delegation_register(
                meeting=self.meeting,
                user=request.user,
                members=formset.members(),
                state=self.state,
                organisation=self.organisation,
                version=meta.cleaned_data["version"],
                credentials=credentials_form.cleaned_data["file"],
                submit="submit" in request.POST,
            )
        except services.DelegationConflict as conflict:
            # Keep what this user typed; show the other version's list beside it, and let a
            # second save (from the version now on screen) decide.
            current = self._delegation()
            others = ", ".join(str(m) for m in current.members.all()) if current else ""
            messages.error(
                request,
                f"{conflict} Their list: {others or 'no members'}. Yours is below: save again to replace theirs."
                f"{choose_again}",
            )
            return self.render_to_response(self.get_context_data(formset=formset, delegation=current))
        except services.RegistrationError as error:
            messages.error(request, f"{error}{choose_again}")
            return self.render_to_response(self.get_context_data(formset=formset, delegation=delegation))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            if choose_again:
                messages.error(request, choose_again.strip())
            return self.render_to_response(self.get_context_data(formset=formset, delegation=delegation))
        received = " The credentials letter was received." if credentials_form.cleaned_data["file"] else ""
        if "submit" in request.POST:
            messages.success(
                request,
                f"Submitted to the secretariat.{received} You will get an e-mail now and when it is reviewed.",
            )
        else:
            messages.success(request, f"Saved.{received} Submit the delegation when the list is complete.")
        return HttpResponseRedirect(request.path)

    def _submit(self, delegation: Delegation):
        try:
            services.delegation_submit(delegation=delegation, user=self.request.user)
        except services.RegistrationError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(self.request, "Submitted to the secretariat. You will get an e-mail when it is reviewed.")
        return HttpResponseRedirect(self.request.path)


class InviteProvisionallyView(LoginRequiredMixin, View):
    """Rule 1.3: the presidency invites an organisation that asked to take part."""

    def post(self, request, slug: str, party_key: str):
        meeting = _meeting(slug)
        state, organisation = _party(party_key)
        delegation = Delegation.objects.filter(meeting=meeting, state=state, organisation=organisation).first()
        if delegation is None or not permissions.can_view_delegation(request.user, delegation):
            raise Http404("No such delegation.")
        try:
            services.admission_invite(delegation=delegation, by=request.user)
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{delegation.party} is invited provisionally; the meeting will decide.")
        return redirect("registration:delegation", slug=slug, party_key=party_key)


class CredentialsUploadView(LoginRequiredMixin, View):
    def post(self, request, slug: str, party_key: str):
        meeting = _meeting(slug)
        state, organisation = _party(party_key)
        delegation = Delegation.objects.filter(meeting=meeting, state=state, organisation=organisation).first()
        if delegation is None or not permissions.can_view_credentials(request.user, delegation):
            raise Http404("No such delegation.")
        form = CredentialsForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.credentials_upload(delegation=delegation, file=form.cleaned_data["file"], user=request.user)
            except (services.RegistrationError, ValidationError) as error:
                form.add_error("file", error.messages if isinstance(error, ValidationError) else str(error))
            else:
                messages.success(request, "Credentials received.")
                return redirect("registration:delegation", slug=slug, party_key=party_key)
        view = DelegationView()
        view.setup(request, slug=slug, party_key=party_key)
        messages.error(request, "The credentials were not accepted: " + " ".join(form.errors.get("file", [])))
        return view.render_to_response(view.get_context_data(credentials_form=form))


# Shown inline on the secretariat's review screen: the portal's own pages may frame it, no other site.
@method_decorator(xframe_options_sameorigin, name="dispatch")
@method_decorator(csp_replace({"frame-ancestors": SELF}), name="dispatch")
class CredentialsFileView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        credentials = get_object_or_404(Credentials.objects.select_related("delegation__meeting"), pk=pk)
        if not permissions.can_view_credentials(request.user, credentials.delegation):
            raise Http404("No such file.")
        response = FileResponse(
            credentials.file.open("rb"),
            content_type="application/pdf",
            filename=f"credentials-{credentials.delegation.party_key}.pdf",
        )
        response["Cache-Control"] = "private, no-store"  # a credentials letter must not linger in shared caches
        return response


class SecretariatMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.is_secretariat(request.user):
            meeting = Meeting.objects.filter(slug=kwargs.get("slug")).prefetch_related("officers").first()
            if not (meeting and self.presidency_allowed and permissions.presides(request.user, meeting)):
                raise PermissionDenied("For the secretariat only.")
        return super().dispatch(request, *args, **kwargs)

    presidency_allowed = False


# Outputs of the list of participants are keyed on their data's version: the limit only frees the memory of old ones.
PARTICIPANTS_CACHE_SECONDS = 24 * 60 * 60


class ParticipantsView(SecretariatMixin, TemplateView):
    """The list of participants, on screen or as PDF, XLSX and CSV."""

    template_name = "registration/participants.html"
    presidency_allowed = True

    def get(self, request, slug: str, fmt: str = "html"):
        if fmt not in ("html", "pdf", "xlsx", "csv"):
            raise Http404("Available as PDF, XLSX or CSV.")
        meeting = _meeting(slug)
        if fmt in ("xlsx", "csv"):
            content_type = (
                "text/csv; charset=utf-8"
                if fmt == "csv"
                else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            response = HttpResponse(self._cached(meeting, fmt, lambda: _spreadsheet(meeting, fmt)), content_type)
            response["Content-Disposition"] = f'attachment; filename="participants-{meeting.slug}.{fmt}"'
            return response
        context = {
            "meeting": meeting,
            "symbol": selectors.participants_list_symbol(meeting),
            "issued_on": timezone.localdate(),
        }
        if fmt == "pdf":
            html = render_to_string("registration/participants_pdf.html", {**context, **_listing(meeting)})
            response = HttpResponse(participants_pdf(html), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="participants-{meeting.slug}.pdf"'
            return response
        body = self._cached(
            meeting, fmt, lambda: render_to_string("registration/_participants_body.html", _listing(meeting))
        )
        return self.render_to_response(
            self.get_context_data(body=mark_safe(body), **context)
        )  # our own template's output

    @staticmethod
    def _cached(meeting: Meeting, fmt: str, build):
        """At 600 participants the list takes tens of milliseconds to build, and is read far more often than it
        changes: keep each output under the version of everything it is made of, so any change gives a new key."""
        # The list names States in the reader's language: one cached copy per language.
        key = f"participants:{fmt}:{get_language()}:{selectors.participants_version(meeting=meeting)}"
        output = cache.get(key)
        if output is None:
            output = build()
            cache.set(key, output, timeout=PARTICIPANTS_CACHE_SECONDS)
        return output


def _listing(meeting: Meeting) -> dict:
    listed = selectors.participants(meeting=meeting)
    return {
        "groups": selectors.participants_by_category(listed),
        "statistics": selectors.meeting_statistics(meeting=meeting, listed=listed),
    }


def _spreadsheet(meeting: Meeting, fmt: str) -> bytes | str:
    data = ParticipantResource(listed=selectors.participants(meeting=meeting)).export().export(fmt)
    return "\ufeff" + data if fmt == "csv" else data  # the byte-order mark makes Excel read the names as UTF-8


class CredentialsReportView(SecretariatMixin, TemplateView):
    template_name = "registration/credentials_report.html"

    def get_context_data(self, **kwargs):
        meeting = _meeting(self.kwargs["slug"])
        return super().get_context_data(meeting=meeting, report=selectors.credentials_report(meeting=meeting), **kwargs)
