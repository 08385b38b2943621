"""The secretariat's registration work in the admin.

Every write goes through registration.services: the admin shows what a service owns
(status, version, credentials review, decisions, admission) read-only and offers the
service's steps as buttons and actions. A delegation's change page is its review screen.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from common.admin_display import short_date, short_date_column
from common.languages import translation_columns
from meetings.models import Meeting

from . import permissions, selectors, services
from .forms import ReturnForm
from .models import Credentials, Delegation, FocalPoint, Invitation, Member


def _item_error(item, error) -> str:
    """One refusal among many, named: “Arcadia: only a submitted delegation can be decided.”"""
    return pgettext("an item and why it was refused", "%(item)s: %(error)s") % {"item": item, "error": error}


class DecisionFilter(admin.SimpleListFilter):
    title = _("decision")
    parameter_name = "decision"

    def lookups(self, request, model_admin):
        return [("pending", _("Waiting for a decision")), ("approved", _("Approved")), ("refused", _("Refused"))]

    def queryset(self, request, queryset):
        match self.value():
            case "pending":
                return queryset.filter(approved_at__isnull=True, rejected_at__isnull=True)
            case "approved":
                return queryset.filter(approved_at__isnull=False)
            case "refused":
                return queryset.filter(rejected_at__isnull=False)
        return queryset


class RefuseForm(forms.Form):
    reason = forms.CharField(
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Reason for refusing"),
        help_text=_("E-mailed to each person refused."),
    )


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    """Requests are decided with the actions; adding one here appoints the person at once (and e-mails them)."""

    list_display = ["user", "party_name", "reason_short", "asked", "decision"]
    asked = short_date_column("created_at", _("Asked"))
    list_filter = [DecisionFilter]
    search_fields = ["user__email", "state__name_en", "organisation__name", "organisation__acronym"]
    autocomplete_fields = ["user", "state", "organisation"]
    list_select_related = ["user", "state", "organisation"]
    actions = ["approve", "refuse"]
    fields = ["user", "state", "organisation", "reason", "decision", "approved_by", "invitation", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["decision", "approved_by", "invitation", "created_at"]
        return self.fields  # decided through the actions, never edited

    def get_fields(self, request, obj=None):
        return ["user", "state", "organisation"] if obj is None else self.fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        appointed = services.focal_point_appoint(
            user=obj.user, by=request.user, state=obj.state, organisation=obj.organisation
        )
        obj.pk = appointed.pk

    @admin.display(description=_("State or organisation"), ordering="state__name_en")
    def party_name(self, obj: FocalPoint) -> str:
        return str(obj.party)

    @admin.display(description=_("Reason given"))
    def reason_short(self, obj: FocalPoint) -> str:
        return obj.reason if len(obj.reason) <= 80 else obj.reason[:79] + "…"

    @admin.display(description=_("Decision"), ordering="approved_at")
    def decision(self, obj: FocalPoint) -> str:
        if obj.approved_at:
            return gettext("Approved %(date)s") % {"date": short_date(obj.approved_at)}
        if obj.rejected_at:
            return gettext("Refused %(date)s: %(reason)s") % {
                "date": short_date(obj.rejected_at),
                "reason": obj.rejection_reason,
            }
        return gettext("Waiting for a decision")

    def _pending(self, request, queryset) -> list[FocalPoint]:
        pending, decided = [], []
        for focal_point in queryset.select_related("user", "state", "organisation"):
            (decided if focal_point.approved_at or focal_point.rejected_at else pending).append(focal_point)
        for focal_point in decided:
            messages.warning(
                request, gettext("%(request)s was already decided; left as it is.") % {"request": focal_point}
            )
        return pending

    @admin.action(description=_("Approve the selected requests"))
    def approve(self, request, queryset):
        done = 0
        for focal_point in self._pending(request, queryset):
            try:
                services.focal_point_decide(focal_point=focal_point, by=request.user, approve=True)
                done += 1
            except services.RegistrationError as error:
                messages.error(request, _item_error(focal_point, error))
        if done:
            messages.success(
                request,
                ngettext(
                    "%(count)d request(s) approved; each focal point was e-mailed.",
                    "%(count)d request(s) approved; each focal point was e-mailed.",
                    done,
                )
                % {"count": done},
            )

    @admin.action(description=_("Refuse the selected requests with a reason…"))
    def refuse(self, request, queryset):
        form = RefuseForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            done = 0
            for focal_point in self._pending(request, queryset):
                try:
                    services.focal_point_decide(
                        focal_point=focal_point, by=request.user, approve=False, reason=form.cleaned_data["reason"]
                    )
                    done += 1
                except services.RegistrationError as error:
                    messages.error(request, _item_error(focal_point, error))
            if done:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d request(s) refused; each person was e-mailed the reason.",
                        "%(count)d request(s) refused; each person was e-mailed the reason.",
                        done,
                    )
                    % {"count": done},
                )
            return None
        return render(
            request,
            "admin/registration/refuse_focal_points.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Refuse focal point requests"),
                "form": form,
                "focal_points": queryset.select_related("user", "state", "organisation"),
                "opts": self.model._meta,
                "action": "refuse",
            },
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """An invitation is created with its link and expiry (services.invitation_create) and never edited."""

    list_display = ["meeting", "party_name", "created", "expires", "accepted", "accepted_by"]
    created = short_date_column("created_at", _("Created"))
    expires = short_date_column("expires_at", _("Expires"))
    accepted = short_date_column("accepted_at", _("Accepted"))
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter), ("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["state__name_en", "organisation__name", "meeting__title"]
    autocomplete_fields = ["meeting", "state", "organisation"]
    list_select_related = ["meeting", "state", "organisation", "accepted_by"]
    fields = ["meeting", "state", "organisation", "link", "created_at", "expires_at", "accepted_at", "accepted_by"]

    def get_fields(self, request, obj=None):
        return ["meeting", "state", "organisation"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        obj.pk = services.invitation_create(meeting=obj.meeting, state=obj.state, organisation=obj.organisation).pk

    @admin.display(description=_("State or organisation"), ordering="state__name_en")
    def party_name(self, obj: Invitation) -> str:
        return str(obj.party)

    @admin.display(description=_("Registration link"))
    def link(self, obj: Invitation) -> str:
        return services.invitation_link(obj) if obj.pk else "—"


# --- delegations: the review screen -------------------------------------------------------------------------------


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Reason for returning"),
        help_text=_("The focal points read it in the e-mail and on their page."),
    )


class CredentialsReviewForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(value, label) for value, label in Credentials.Status.choices if value != Credentials.Status.RECEIVED],
        widget=forms.RadioSelect,
        label=_("The credentials are"),
    )
    reason = forms.CharField(
        required=False,
        max_length=255,
        label=_("Reason (needed to reject)"),
        widget=forms.TextInput(attrs={"size": 60}),
    )


class CredentialsFilter(admin.SimpleListFilter):
    title = _("credentials")
    parameter_name = "credentials"

    def lookups(self, request, model_admin):
        return [*Credentials.Status.choices, ("none", _("None uploaded"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(credentials__isnull=True)
        if self.value() in Credentials.Status.values:
            return queryset.filter(credentials__status=self.value())
        return queryset


class MeetingFilter(admin.SimpleListFilter):
    """Meetings with delegations, newest first. Unlike the admin's related-field filter, a meeting chosen
    by a link (the dashboard's counts) filters even when it is the only one, or has no delegation."""

    title = _("meeting")
    parameter_name = "meeting"

    def lookups(self, request, model_admin):
        chosen = int(self.value()) if (self.value() or "").isdigit() else None
        # Exists, not a join made distinct: the join compared whole meeting rows, for every delegation.
        has_delegations = Exists(Delegation.objects.filter(meeting=OuterRef("pk")))
        meetings = Meeting.objects.filter(Q(has_delegations) | Q(pk=chosen)).only("kind", "number", "title")
        return [(str(m.pk), str(m)) for m in meetings.order_by("-start_date")]

    def queryset(self, request, queryset):
        if (self.value() or "").isdigit():
            return queryset.filter(meeting_id=int(self.value()))
        return queryset


class CategoryFilter(admin.SimpleListFilter):
    """Categories follow treaty status on the meeting's first day: computed, not stored."""

    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return Delegation.Category.choices

    def queryset(self, request, queryset):
        if self.value() not in Delegation.Category.values:
            return queryset
        return queryset.filter(pk__in=selectors.delegations_in_category(delegations=queryset, category=self.value()))


# What a row of the delegations list reads: its columns, its category (treaty, first day) and str() (the checkbox).
LIST_COLUMNS = [
    "state_id",
    "organisation_id",
    "meeting_id",
    "status",
    "submitted_at",
    "meeting__treaty_id",
    "meeting__kind",
    "meeting__number",
    *translation_columns("meeting__title"),  # modeltranslation: title reads title_<lang>
    "meeting__start_date",
    "state__name_en",
    "organisation__name",
    "organisation__acronym",
    "credentials__delegation_id",
    "credentials__status",
]


class DelegationChangeList(ChangeList):
    def url_for_result(self, result):
        # One reverse() for the page instead of one per row: the row links differ only by the id.
        if not hasattr(self, "_change_url"):
            self._change_url = super().url_for_result(Delegation(pk=0)).rsplit("/0/", 1)
        head, tail = self._change_url
        return f"{head}/{quote(result.pk)}/{tail}"

    def get_results(self, request):
        super().get_results(request)
        # The columns the rows show, not every column of five tables: building those 50 rows' models
        # was two thirds of the list's main query. Only here: the actions get the whole rows.
        self.result_list = self.result_list.only(*LIST_COLUMNS)
        labels = dict(Delegation.Category.choices)
        categories = selectors.delegation_categories(delegations=self.result_list)
        for delegation in self.result_list:
            delegation.category_label = labels[categories[delegation.pk]]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    """The review queue: filter on “Submitted”, open one to review it, or approve or return many at once."""

    list_display = [
        "party_name",
        "meeting_code",
        "category",
        "status",
        "member_count",
        "submitted",
        "credentials_status",
    ]
    list_filter = [
        "status",
        CategoryFilter,
        MeetingFilter,
        CredentialsFilter,
        "admission",
    ]
    search_fields = ["state__name_en", "organisation__name", "members__family_name", "meeting__title"]
    list_select_related = ["meeting", "state", "organisation", "credentials"]
    actions = ["approve", "return_for_changes", "invite_provisionally", "approve_participation"]
    ordering = ["-meeting__start_date", "state__name_en", "organisation__name"]
    list_per_page = 50  # a review queue read row by row; the admin's 100 rows cost twice the time to render
    review_template = "admin/registration/delegation/review.html"

    class Media:
        css = {"all": ["css/secretariat.css"]}

    def has_add_permission(self, request):
        return False  # delegations are registered by focal points (services.delegation_save)

    def get_queryset(self, request):
        # A subquery, not Count("members"): the join grouped every delegation's members before the page was
        # cut, and the page's two counts grouped them again.
        members = Member.objects.filter(delegation=OuterRef("pk")).order_by().values("delegation")
        return (
            super()
            .get_queryset(request)
            .annotate(
                members_total=Subquery(members.annotate(total=Count("pk")).values("total"), output_field=IntegerField())
            )
        )

    def get_changelist(self, request, **kwargs):
        return DelegationChangeList

    def action_checkbox(self, obj: Delegation):
        # The admin's own renders a form widget through three templates per row, a sixth of the list's
        # time with nothing kept; this writes the same HTML directly (tests compare the two).
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )

    @admin.display(description=_("State or organisation"), ordering="state__name_en")
    def party_name(self, obj: Delegation) -> str:
        return str(obj.party)

    @admin.display(description=_("Meeting"), ordering="meeting__start_date")
    def meeting_code(self, obj: Delegation) -> str:
        meeting, start = obj.meeting, obj.meeting.start_date
        # date_format(start, "M Y") without the format's parsing, once per row
        return f"{meeting.short_code or meeting.get_kind_display()} ({MONTHS_3[start.month].title()} {start.year})"

    @admin.display(description=_("Category"))
    def category(self, obj: Delegation) -> str:
        return getattr(obj, "category_label", "")

    @admin.display(description=_("Members"), ordering="members_total")
    def member_count(self, obj: Delegation) -> int:
        return obj.members_total

    @admin.display(description=_("Submitted"), ordering="submitted_at")
    def submitted(self, obj: Delegation) -> str:
        return date_format(timezone.localdate(obj.submitted_at), "SHORT_DATE_FORMAT") if obj.submitted_at else "—"

    @admin.display(description=_("Credentials"), ordering="credentials__status")
    def credentials_status(self, obj: Delegation) -> str:
        credentials = getattr(obj, "credentials", None)
        return credentials.get_status_display() if credentials else "—"

    # -- the review screen (the change page) --

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            review = selectors.delegation_review(pk=int(unquote(object_id)))
        except (ValueError, Delegation.DoesNotExist):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        decision_form = credentials_form = None
        if request.method == "POST":
            if not self.has_change_permission(request, review.delegation):
                raise PermissionDenied
            outcome = self._act(request, review)
            if isinstance(outcome, HttpResponseRedirect):
                return outcome
            decision_form, credentials_form = outcome
            review = selectors.delegation_review(pk=review.delegation.pk)
        return self._render_review(request, review, decision_form, credentials_form)

    def _act(self, request, review):
        """One button, one service call; a refusal is shown with what the officer typed kept."""
        delegation, user = review.delegation, request.user
        decision_form = DecisionForm(request.POST if {"approve", "return"} & set(request.POST) else None)
        credentials_form = CredentialsReviewForm(
            request.POST if "review_credentials" in request.POST else None, prefix="credentials"
        )
        try:
            if decision_form.is_bound:
                if not decision_form.is_valid():
                    raise services.RegistrationError(gettext("The page was out of date; read the delegation again."))
                approve = "approve" in request.POST
                services.delegation_decide(
                    delegation=delegation,
                    by=user,
                    approve=approve,
                    reason=decision_form.cleaned_data["reason"],
                    version=decision_form.cleaned_data["version"],
                )
                done = (
                    gettext("The delegation of %(party)s is approved. E-mail to: %(recipients)s.")
                    if approve
                    else gettext("The delegation of %(party)s is returned for changes. E-mail to: %(recipients)s.")
                )
                recipients = ", ".join(review.focal_point_emails) or gettext("no focal point on record")
                messages.success(
                    request, done % {"party": selectors.party_name(delegation.party), "recipients": recipients}
                )
            elif credentials_form.is_bound:
                if review.credentials is None:
                    raise services.RegistrationError(gettext("No credentials have been uploaded for this delegation."))
                if not credentials_form.is_valid():
                    raise services.RegistrationError(
                        gettext("Choose what the credentials are: in order, copy only, rejected.")
                    )
                services.credentials_review(
                    credentials=review.credentials,
                    by=user,
                    status=credentials_form.cleaned_data["status"],
                    reason=credentials_form.cleaned_data["reason"],
                )
                messages.success(
                    request,
                    gettext("Credentials recorded as “%(status)s”.")
                    % {"status": review.credentials.get_status_display().lower()},
                )
            elif "invite" in request.POST:
                services.admission_invite(delegation=delegation, by=user)
                messages.success(
                    request,
                    gettext("%(party)s is invited provisionally; the meeting will decide.")
                    % {"party": selectors.party_name(delegation.party)},
                )
            elif "admit" in request.POST or "refuse_admission" in request.POST:
                approve = "admit" in request.POST
                services.admission_decide(delegation=delegation, by=user, approve=approve)
                recorded = (
                    gettext("Recorded: the meeting approved the participation of %(party)s.")
                    if approve
                    else gettext("Recorded: the meeting refused the participation of %(party)s.")
                )
                messages.success(request, recorded % {"party": selectors.party_name(delegation.party)})
            else:
                raise services.RegistrationError(gettext("Nothing to do: use one of the buttons."))
        except services.RegistrationError as error:
            messages.error(request, str(error))
            return decision_form, credentials_form
        return HttpResponseRedirect(request.path)

    def _render_review(self, request, review, decision_form, credentials_form):
        delegation = review.delegation
        can_change = self.has_change_permission(request, delegation)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Delegation of %(party)s – %(meeting)s")
            % {
                "party": selectors.party_name(delegation.party),
                "meeting": delegation.meeting.short_code or delegation.meeting.title,
            },
            "opts": self.opts,
            "original": delegation,
            "review": review,
            "has_change_permission": can_change,
            "can_decide": can_change and delegation.status == Delegation.Status.SUBMITTED,
            "can_invite": can_change
            and delegation.admission == Delegation.Admission.REQUESTED
            and permissions.can_invite_provisionally(request.user, delegation.meeting),
            "can_admit": can_change and delegation.admission == Delegation.Admission.INVITED,
            "decision_form": decision_form or DecisionForm(initial={"version": delegation.version}),
            "credentials_form": credentials_form
            or CredentialsReviewForm(
                initial={"status": review.credentials.status, "reason": review.credentials.reason}
                if review.credentials
                else None,
                prefix="credentials",  # both forms have a reason: their fields need distinct names and ids
            ),
            "credentials_url": reverse("registration:credentials_file", args=[review.credentials.pk])
            if review.credentials
            else "",
            "edit_url": reverse("registration:delegation", args=[delegation.meeting.slug, delegation.party_key]),
        }
        return TemplateResponse(request, self.review_template, context)

    # -- the list's actions, for one or many --

    def _report(self, request, done: int, refused: list[str], approved: bool) -> None:
        if done:
            report = (
                ngettext(
                    "%(count)d delegation(s) approved; the focal points were e-mailed.",
                    "%(count)d delegation(s) approved; the focal points were e-mailed.",
                    done,
                )
                if approved
                else ngettext(
                    "%(count)d delegation(s) returned; the focal points were e-mailed.",
                    "%(count)d delegation(s) returned; the focal points were e-mailed.",
                    done,
                )
            )
            messages.success(request, report % {"count": done})
        for reason in refused:
            messages.error(request, reason)

    @admin.action(description=_("Approve the selected delegations"))
    def approve(self, request, queryset):
        done, refused = services.delegations_decide(delegations=queryset, by=request.user, approve=True)
        self._report(request, done, refused, approved=True)

    @admin.action(description=_("Return the selected delegations with a reason…"))
    def return_for_changes(self, request, queryset):
        form = ReturnForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            done, refused = services.delegations_decide(
                delegations=queryset, by=request.user, approve=False, reason=form.cleaned_data["reason"]
            )
            self._report(request, done, refused, approved=False)
            return None
        return render(
            request,
            "admin/registration/return_delegations.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Return delegations for changes"),
                "form": form,
                "delegations": queryset.select_related("meeting", "state", "organisation"),
                "opts": self.model._meta,
                "action": "return_for_changes",
            },
        )

    @admin.action(description=_("Invite the selected organisations provisionally (rule 1.3)"))
    def invite_provisionally(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda count: ngettext(
                "%(count)d organisation(s) invited provisionally.",
                "%(count)d organisation(s) invited provisionally.",
                count,
            ),
            services.admission_invite,
        )

    @admin.action(description=_("Record the meeting's approval of the selected organisations"))
    def approve_participation(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda count: ngettext(
                "%(count)d organisation(s) approved by the meeting.",
                "%(count)d organisation(s) approved by the meeting.",
                count,
            ),
            lambda delegation, by: services.admission_decide(delegation=delegation, by=by, approve=True),
        )

    def _each(self, request, queryset, report, step) -> None:
        """``step`` for each organisation; ``report(count)`` is the sentence, plural as the language has it."""
        done = 0
        for delegation in queryset.select_related("meeting", "state", "organisation"):
            try:
                step(delegation=delegation, by=request.user)
                done += 1
            except services.RegistrationError as error:
                messages.error(request, _item_error(selectors.party_name(delegation.party), error))
        if done:
            messages.success(request, report(done) % {"count": done})


@admin.register(Credentials)
class CredentialsAdmin(admin.ModelAdmin):
    """Read-only: credentials are examined on the delegation's review screen, beside the list of members."""

    list_display = ["delegation_link", "status", "uploaded", "reviewed", "reviewed_by"]
    uploaded = short_date_column("uploaded_at", _("Uploaded"))
    reviewed = short_date_column("reviewed_at", _("Examined"))
    list_display_links = None
    list_filter = ["status", ("delegation__meeting", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["delegation__state__name_en", "delegation__organisation__name"]
    fields = ["delegation_link", "download", "sha256", "uploaded_by", "uploaded_at", "status", "reason", "reviewed_by"]
    readonly_fields = fields
    list_select_related = [
        "delegation__meeting",
        "delegation__state",
        "delegation__organisation",
        "reviewed_by",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Delegation"), ordering="delegation__state__name_en")
    def delegation_link(self, obj: Credentials):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:registration_delegation_change", args=[obj.delegation_id]),
            obj.delegation,
        )

    @admin.display(description=_("File"))
    def download(self, obj: Credentials):
        return format_html('<a href="{}">PDF</a>', reverse("registration:credentials_file", args=[obj.pk]))
