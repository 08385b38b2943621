from django.contrib import admin, messages
from django.db.models import Count, F
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html

from . import services
from .forms import ReturnForm
from .models import Credentials, Delegation, DelegationChange, FocalPoint, Invitation, Member, Notification


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    list_display = ["user", "state", "organisation", "created_at", "approved_at", "rejected_at"]
    list_filter = [("approved_at", admin.EmptyFieldListFilter), ("rejected_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "state__name_en", "organisation__name", "organisation__acronym"]
    autocomplete_fields = ["user", "state", "organisation"]
    readonly_fields = ["approved_at", "approved_by", "rejected_at", "invitation", "created_at"]
    list_select_related = ["user", "state", "organisation"]
    actions = ["approve"]

    @admin.action(description="Approve the selected requests")
    def approve(self, request, queryset):
        for focal_point in queryset.filter(approved_at__isnull=True):
            services.focal_point_decide(focal_point=focal_point, by=request.user, approve=True)
        messages.success(request, "Approved; each focal point was e-mailed.")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["meeting", "state", "organisation", "created_at", "expires_at", "accepted_at", "accepted_by"]
    list_filter = ["meeting", ("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["state__name_en", "organisation__name", "meeting__title"]
    readonly_fields = ["accepted_at", "accepted_by", "link"]
    autocomplete_fields = ["meeting", "state", "organisation"]
    list_select_related = ["meeting", "state", "organisation", "accepted_by"]

    @admin.display(description="Registration link")
    def link(self, obj: Invitation) -> str:
        return services.invitation_link(obj) if obj.pk else "—"


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ["title", "given_name", "family_name", "role", "position", "email", "gender"]


class CredentialsInline(admin.StackedInline):
    model = Credentials
    extra = 0
    fields = ["file", "sha256", "uploaded_by", "uploaded_at", "status", "reason", "reviewed_by", "reviewed_at"]
    readonly_fields = ["file", "sha256", "uploaded_by", "uploaded_at", "reviewed_by", "reviewed_at"]

    def has_add_permission(self, request, obj=None):
        return False


class ChangeInline(admin.TabularInline):
    model = DelegationChange
    extra = 0
    can_delete = False
    fields = ["at", "user", "action", "detail"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    """The secretariat's review queue: filter on “Submitted”, then approve or return, one or many."""

    list_display = [
        "party_name",
        "meeting",
        "status",
        "member_count",
        "submitted_at",
        "admission",
        "credentials_status",
        "links",
    ]
    list_filter = ["status", "meeting", "admission", ("state", admin.EmptyFieldListFilter)]
    search_fields = ["state__name_en", "organisation__name", "members__family_name", "meeting__title"]
    list_select_related = ["meeting", "state", "organisation", "credentials"]
    readonly_fields = [
        "status",
        "version",
        "created_by",
        "submitted_at",
        "decided_at",
        "decided_by",
        "return_reason",
        "admission_requested_at",
        "admission_invited_at",
        "admission_decided_at",
    ]
    inlines = [MemberInline, CredentialsInline, ChangeInline]
    actions = ["approve", "return_for_changes", "invite_provisionally", "approve_participation"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members_total=Count("members"))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = [*form.changed_data, *(fs.prefix for fs in formsets if fs.has_changed())]
        if change and changed:
            # As in services.delegation_save: every change is logged, and a focal point's open page goes stale.
            Delegation.objects.filter(pk=form.instance.pk).update(version=F("version") + 1)
            DelegationChange.objects.create(
                delegation=form.instance, user=request.user, action="changed in the admin", detail=", ".join(changed)
            )

    @admin.display(description="State or organisation", ordering="state__name_en")
    def party_name(self, obj: Delegation) -> str:
        return str(obj.party)

    @admin.display(description="Members", ordering="members_total")
    def member_count(self, obj: Delegation) -> int:
        return obj.members_total

    @admin.display(description="Credentials")
    def credentials_status(self, obj: Delegation) -> str:
        credentials = getattr(obj, "credentials", None)
        return credentials.get_status_display() if credentials else "—"

    @admin.display(description="")
    def links(self, obj: Delegation):
        return format_html(
            '<a href="{}">page</a>', reverse("registration:delegation", args=[obj.meeting.slug, obj.party_key])
        )

    def _report(self, request, done: int, refused: list[str], verb: str) -> None:
        if done:
            messages.success(request, f"{done} delegation(s) {verb}; the focal points were e-mailed.")
        for reason in refused:
            messages.error(request, reason)

    @admin.action(description="Approve the selected delegations")
    def approve(self, request, queryset):
        done, refused = services.delegations_decide(delegations=queryset, by=request.user, approve=True)
        self._report(request, done, refused, "approved")

    @admin.action(description="Return the selected delegations with a reason…")
    def return_for_changes(self, request, queryset):
        form = ReturnForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            done, refused = services.delegations_decide(
                delegations=queryset, by=request.user, approve=False, reason=form.cleaned_data["reason"]
            )
            self._report(request, done, refused, "returned")
            return None
        return render(
            request,
            "admin/registration/return_delegations.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "delegations": queryset,
                "opts": self.model._meta,
                "action": "return_for_changes",
            },
        )

    @admin.action(description="Invite the selected organisations provisionally (rule 1.3)")
    def invite_provisionally(self, request, queryset):
        for delegation in queryset:
            try:
                services.admission_invite(delegation=delegation, by=request.user)
            except services.RegistrationError as error:
                messages.error(request, f"{delegation.party}: {error}")

    @admin.action(description="Record the meeting's approval of the selected organisations")
    def approve_participation(self, request, queryset):
        for delegation in queryset:
            try:
                services.admission_decide(delegation=delegation, by=request.user, approve=True)
            except services.RegistrationError as error:
                messages.error(request, f"{delegation.party}: {error}")


@admin.register(Credentials)
class CredentialsAdmin(admin.ModelAdmin):
    list_display = ["delegation", "status", "uploaded_at", "reviewed_at", "download"]
    list_filter = ["status", "delegation__meeting"]
    search_fields = ["delegation__state__name_en", "delegation__organisation__name"]
    readonly_fields = [
        "delegation",
        "file",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "reviewed_by",
        "reviewed_at",
        "download",
    ]
    fields = [
        "delegation",
        "download",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "status",
        "reason",
        "reviewed_by",
        "reviewed_at",
    ]
    list_select_related = ["delegation__meeting", "delegation__state", "delegation__organisation"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="File")
    def download(self, obj: Credentials):
        return format_html('<a href="{}">PDF</a>', reverse("registration:credentials_file", args=[obj.pk]))

    def save_model(self, request, obj, form, change):
        try:
            services.credentials_review(credentials=obj, by=request.user, status=obj.status, reason=obj.reason)
        except services.RegistrationError as error:
            messages.error(request, str(error))


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False
