import re

from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from common.translation_admin import MissingTranslationsMixin, missing_translations_filter

from . import permissions, selectors, services, views
from .forms import NoteForm, NoteTemplateForm
from .models import (
    AddresseeGroup,
    Email,
    IndividualAddressee,
    Note,
    NoteCopy,
    NoteTemplate,
    Office,
    ReferenceCounter,
    Signatory,
)
from .sandbox import TemplateProblem

PER_ADDRESS = {"delivered_to", "refused"}


@admin.register(Office)
class OfficeAdmin(MissingTranslationsMixin, TranslationAdmin):
    list_display = [
        "name_en",
        "short_name",
        "code",
        "kind",
        "state",
        "city",
        "email",
        "requires_approval",
        "translations_missing",
    ]
    list_filter = ["kind", "requires_approval", missing_translations_filter("name")]
    search_fields = ["name_en", "short_name", "name_fr", "name_es", "name_ar", "name_ru", "name_zh_hans", "code"]
    search_fields += ["state__name_en"]
    autocomplete_fields = ["state", "members"]
    readonly_fields = ["reference_preview"]
    fieldsets = [
        (None, {"fields": ["name_en", "short_name", "code", "kind", "state", "members"]}),
        (
            _("Name in notes in other languages"),
            {
                "fields": ["name_fr", "name_es", "name_ar", "name_ru", "name_zh_hans"],
                "description": _(
                    "With the article, as the name reads inside a sentence of a note verbale. Empty: "
                    "the English name stands in."
                ),
            },
        ),
        (
            _("Letterhead and e-mail"),
            {
                "fields": ["letterhead_lines", "motto", "emblem", "address", "phone", "email", "city"],
                "description": _(
                    "Notes are mailed in the office's name; missions' replies go to its e-mail address. "
                    "The address, telephone and e-mail are printed only where the header or letterhead lines say them."
                ),
            },
        ),
        (
            _("Layout of its letters"),
            {
                "fields": [
                    "header_lines",
                    "footer_lines",
                    "date_format",
                    "date_with_city",
                    "prints_subject",
                    "subject_label",
                    "addressees_at_end",
                ],
                "description": _("Only what the office prints: nothing here is added to a letter unless set."),
            },
        ),
        (
            _("Numbering and workflow"),
            {"fields": ["reference_pattern", "reference_label", "reference_preview", "requires_approval"]},
        ),
    ]

    @admin.display(description=_("Reference example"))
    def reference_preview(self, obj: Office) -> str:
        return obj.reference_example(seq=47) if obj.pk else "—"


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(admin.ModelAdmin):
    list_display = ["office", "year", "last_seq"]
    list_filter = ["office", "year"]
    readonly_fields = ["office", "year", "last_seq"]

    def has_add_permission(self, request):
        return False  # numbers are only ever taken by issuing a note


@admin.register(NoteTemplate)
class NoteTemplateAdmin(MissingTranslationsMixin, TranslationAdmin):
    """Wording: shared templates are the secretariat's; an office changes only its own and copies shared ones."""

    form = NoteTemplateForm
    change_form_template = "admin/correspondence/notetemplate/change_form.html"
    list_display = ["name", "language", "form", "owner", "updated_at", "translations_missing"]
    list_filter = [
        "form",
        "language",
        ("office", admin.RelatedOnlyFieldListFilter),
        missing_translations_filter("name"),
    ]
    search_fields = ["name_en", "name_fr", "name_es", "name_ar", "name_ru", "name_zh_hans", "subject", "body"]
    list_select_related = ["office"]

    def get_queryset(self, request):
        return selectors.usable_templates(request.user)

    @admin.display(description=_("Owner"), ordering="office__name")
    def owner(self, obj: NoteTemplate) -> str:
        return obj.office.label if obj.office_id else gettext("Shared (every office)")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_change_template(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_change_template(request.user, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "office":
            user = request.user
            kwargs["queryset"] = (
                Office.objects.all() if user.is_superuser else Office.objects.filter(members=user)
            ).order_by("name")
            kwargs["required"] = not permissions.can_own_template(user, None)
            kwargs["empty_label"] = _("Shared (every office)")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        offices = selectors.user_offices(request.user)
        if "office" not in initial and len(offices) == 1 and not permissions.can_own_template(request.user, None):
            initial["office"] = offices[0].pk
        return initial

    def save_model(self, request, obj, form, change):
        services.template_save(template=obj, user=request.user)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/wording.json",
                wrap(views.TemplateWordingView.as_view()),
                name="correspondence_notetemplate_wording",
            ),
            path("<int:pk>/copy/", wrap(views.TemplateCopyView.as_view()), name="correspondence_notetemplate_copy"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        template = self.get_object(request, object_id)
        extra = extra_context or {}
        if template:
            extra |= {
                "can_copy": permissions.can_copy_template(request.user, template),
                "copy_offices": [o for o in selectors.user_offices(request.user) if o.pk != template.office_id],
                "may_change": permissions.can_change_template(request.user, template),
                "template_obj": template,
            }
        return super().change_view(request, object_id, form_url, extra_context=extra)


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0


class IndividualInline(admin.StackedInline):
    model = IndividualAddressee
    extra = 0
    autocomplete_fields = ["mission", "organisation"]


class CopyInline(admin.TabularInline):
    model = NoteCopy
    extra = 0
    can_delete = False
    fields = ["addressee_name", "delivery", "emails", "status", "attempts", "last_error", "sent", "pdf_link"]
    readonly_fields = fields
    ordering = ["addressee_name"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("note")  # each row's title names the note

    @admin.display(description=pgettext_lazy("copy status", "Sent"), ordering="sent_at")
    def sent(self, obj: NoteCopy) -> str:
        return date_format(timezone.localtime(obj.sent_at), "SHORT_DATETIME_FORMAT") if obj.sent_at else "—"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj: NoteCopy):
        links = []
        if obj.pdf:
            links.append(
                format_html(
                    '<a href="{}">PDF</a> <small>{}</small>',
                    reverse("admin:correspondence_copy_pdf", args=[obj.pk]),
                    obj.pdf_sha256[:12],
                )
            )
        if obj.status == NoteCopy.Status.FAILED:
            links.append(
                format_html(
                    '<button type="submit" form="resend-{}" class="button copy-action">{}</button>',
                    obj.pk,
                    gettext("Re-send"),
                )
            )
        if obj.status == NoteCopy.Status.FAILED and obj.refused:
            # Re-sent as it is, a refused address usually meets the same refusal: correct it first.
            links.append(
                format_html(
                    '<a class="button copy-action" href="{}">{}</a>',
                    reverse("admin:correspondence_notecopy_correct_address", args=[obj.pk]),
                    gettext("Correct address…"),
                )
            )
        return format_html(" ".join(["{}"] * len(links)), *links) if links else "—"


class CopyStatusFilter(admin.SimpleListFilter):
    title = _("copies")
    parameter_name = "copies"

    def lookups(self, request, model_admin):
        return [
            ("failed", _("With failed copies")),
            ("pending", _("Still sending")),
            ("by_hand", _("With copies to deliver by hand")),
        ]

    def queryset(self, request, queryset):
        # Filter by id, not by joining the copies: a join would multiply the changelist's copy counts.
        value = self.value()
        if value == "failed":
            return queryset.filter(pk__in=NoteCopy.objects.filter(status=NoteCopy.Status.FAILED).values("note"))
        if value == "pending":
            busy = [
                NoteCopy.Status.QUEUED,
                NoteCopy.Status.RENDERING,
                NoteCopy.Status.RENDERED,
                NoteCopy.Status.SENDING,
            ]
            return queryset.filter(pk__in=NoteCopy.objects.filter(status__in=busy).values("note"))
        if value == "by_hand":
            return queryset.filter(pk__in=NoteCopy.objects.filter(status=NoteCopy.Status.BY_HAND).values("note"))
        return queryset


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    """Draft, preview, approve, issue and follow the dispatch. Also the searchable archive."""

    form = NoteForm
    change_form_template = "admin/correspondence/note/change_form.html"
    list_display = [
        "reference_or_draft",
        "title",
        "office_label",
        "meeting_label",
        "addressees",
        "status",
        "issue_date",
        "copy_counts",
    ]
    list_filter = [
        "status",
        ("office", admin.RelatedOnlyFieldListFilter),
        "form",
        "language",
        "treaty",
        CopyStatusFilter,
        ("meeting", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "reference",
        "subject_text",
        "subject",
        "meeting__title",
        "office__name",
        "office__short_name",
        "copies__addressee_name",
    ]
    autocomplete_fields = ["enclosures", "addressee_states", "addressee_organisations"]
    date_hierarchy = "issue_date"
    inlines = [SignatoryInline, IndividualInline, CopyInline]
    readonly_fields = [
        "status",
        "reference",
        "issue_date",
        "created_by",
        "approved_by",
        "issued_by",
        "corrects",
        "placeholders",
        "title",
        "text",
    ]

    class Media:
        css = {"all": ["correspondence/admin.css"]}
        js = ["correspondence/note_form.js"]

    def get_queryset(self, request):
        return selectors.note_archive(office_ids=permissions.office_ids_for(request.user))

    def get_list_display(self, request):
        office_ids = permissions.office_ids_for(request.user)
        if office_ids is not None and len(office_ids) == 1:
            return [name for name in self.list_display if name != "office_label"]  # always the user's own office
        return self.list_display

    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset, False
        # Search a plain queryset and keep the matches by id: joining the copies into the annotated
        # queryset would multiply the copy counts by the number of matching copies.
        found, _ = super().get_search_results(request, Note.objects.all(), search_term)
        return queryset.filter(pk__in=found.values("pk")), False

    def get_fieldsets(self, request, obj=None):
        frozen = obj is not None and not permissions.can_edit(request.user, obj)
        if frozen:  # what the addressees read first; the template code folded away below it
            wording = [
                (_("Wording"), {"fields": ["title", "text"]}),
                (
                    _("Wording as typed"),
                    {"fields": ["subject", "salutation", "body", "postscript"], "classes": ["collapse"]},
                ),
            ]
        else:
            editor = ["subject", "salutation", "body", "postscript", "placeholders"]
            wording = [(_("Wording"), {"fields": editor, "classes": ["wording"]})]
        fields = [
            (None, {"fields": ["office", "meeting", "template", "treaty", "form", "language"]}),
            *wording,
            (
                _("Addressees"),
                {
                    "fields": [
                        "addressee_list" if frozen else "addressee_groups",
                        "addressee_states",
                        "addressee_organisations",
                        "addressee_block",
                    ]
                },
            ),
            (_("Enclosures"), {"fields": ["enclosures", "append_enclosures"]}),
            (
                _("This letter's own layout"),
                {"fields": ["letterhead_lines", "footer_lines", "dateline"], "classes": ["collapse"]},
            ),
        ]
        if obj:
            fields.append(
                (
                    _("Record"),
                    {
                        "fields": [
                            "status",
                            "reference",
                            "issue_date",
                            "corrects",
                            "created_by",
                            "approved_by",
                            "issued_by",
                        ]
                    },
                )
            )
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj and not permissions.can_edit(request.user, obj):
            # Issued notes are frozen: nothing on the page can change them.
            return [f for _, opts in self.get_fieldsets(request, obj) for f in opts["fields"]]
        return self.readonly_fields

    def get_inlines(self, request, obj):
        return [CopyInline] if obj and obj.is_issued else [SignatoryInline, IndividualInline]

    def has_change_permission(self, request, obj=None):
        # An issued note is frozen: its page is for reading, following its copies and drafting a correction.
        return super().has_change_permission(request, obj) and (obj is None or permissions.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.status == Note.Status.DRAFT)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "office":
            office_ids = permissions.office_ids_for(request.user)
            if office_ids is not None:
                kwargs["queryset"] = Office.objects.filter(pk__in=office_ids)
        if db_field.name == "template":
            kwargs["queryset"] = selectors.usable_templates(request.user)
            kwargs["help_text"] = _("Choosing one fills Subject and Body with its wording, ready to edit.")
        if db_field.name == "meeting":
            kwargs["queryset"] = selectors.meeting_choices()
            kwargs["help_text"] = _("Newest first.")
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "template":
            field.label_from_instance = template_label
        if db_field.name == "meeting":
            field.label_from_instance = selectors.meeting_label
        return field

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "template" and field is not None and hasattr(field.widget, "can_add_related"):
            # Templates are managed on their own pages, where ownership is checked; here they are only chosen.
            field.widget.can_add_related = field.widget.can_change_related = field.widget.can_delete_related = False
        return field

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        office_ids = permissions.office_ids_for(request.user)
        if "office" not in initial and office_ids is not None and len(office_ids) == 1:
            initial["office"] = office_ids[0]
        return initial

    def save_model(self, request, obj, form, change):
        services.note_save(note=obj, user=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        edited = form.has_changed() or any(formset.has_changed() for formset in formsets)
        if change and edited and services.note_approval_reset(note=form.instance):
            messages.warning(request, gettext("The note was changed after its approval: it needs approving again."))

    @admin.display(description=_("Placeholders"))
    def placeholders(self, obj: Note):
        panel = selectors.placeholders_panel(
            office=obj.office if obj.office_id else None,
            meeting=obj.meeting,
            treaty=obj.treaty if obj.treaty_id else None,
            language=obj.language,
            form=obj.form,
            enclosures=obj.enclosures.all() if obj.pk else [],
        )
        return render_to_string("admin/correspondence/note/_placeholders.html", panel)

    @admin.display(description=_("Text"))
    def text(self, obj: Note):
        addressees = selectors.preview_addressees(obj, today=timezone.localdate())
        try:
            rendered = services.note_preview(note=obj, addressee=addressees[0] if addressees else None)
        except TemplateProblem as problem:
            return gettext("The wording has an error at %(problem)s.") % {"problem": problem}
        label = gettext("As %(addressee)s reads it:") % {"addressee": rendered.sheet["addressee"].name}
        paragraphs = format_html_join("", "{}", ((p,) for p in rendered.paragraphs))  # clean HTML blocks
        return format_html('<div class="note-text"><p class="note-text-label">{}</p>{}</div>', label, paragraphs)

    @admin.display(description=_("Addressee groups"))
    def addressee_list(self, obj: Note) -> str:
        return group_labels(obj.addressee_groups) or "—"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/preview/",
                wrap(views.NotePreviewView.as_view(admin_site=self.admin_site)),
                name="correspondence_note_preview",
            ),
            path(
                "<int:pk>/preview.pdf",
                wrap(views.NotePreviewPdfView.as_view(admin_site=self.admin_site)),
                name="correspondence_note_preview_pdf",
            ),
            path("<int:pk>/submit/", wrap(views.NoteSubmitView.as_view()), name="correspondence_note_submit"),
            path("<int:pk>/approve/", wrap(views.NoteApproveView.as_view()), name="correspondence_note_approve"),
            path(
                "<int:pk>/issue/",
                wrap(views.NoteIssueView.as_view(admin_site=self.admin_site)),
                name="correspondence_note_issue",
            ),
            path("placeholders/", wrap(views.PlaceholdersView.as_view()), name="correspondence_note_placeholders"),
            path("<int:pk>/correct/", wrap(views.NoteCorrectView.as_view()), name="correspondence_note_correct"),
            path("copies/<int:pk>/pdf/", wrap(views.CopyPdfView.as_view()), name="correspondence_copy_pdf"),
            path("copies/<int:pk>/resend/", wrap(views.CopyResendView.as_view()), name="correspondence_copy_resend"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        note = self.get_object(request, object_id)
        extra = extra_context or {}
        if note:
            user = request.user
            extra |= {
                "can_submit": note.status == Note.Status.DRAFT
                and note.office.requires_approval
                and permissions.can_edit(user, note),
                "can_approve": permissions.can_approve(user, note),
                "can_issue": permissions.can_issue(user, note),
                "can_correct": note.is_issued and permissions.can_draft_for(user, note.office),
                "failed_copies": list(note.copies.filter(status=NoteCopy.Status.FAILED).values_list("pk", flat=True)),
                "copy_counts": selectors.copy_counts(note) if note.is_issued else None,
                "note_obj": note,
            }
        return super().change_view(request, object_id, form_url, extra_context=extra)

    @admin.display(description=_("Reference"), ordering="reference")
    def reference_or_draft(self, obj: Note) -> str:
        return obj.reference or f"({obj.get_status_display().lower()})"

    @admin.display(description=_("Subject"), ordering="subject_text")
    def title(self, obj: Note) -> str:
        return obj.title

    @admin.display(description=_("Office"), ordering="office__name")
    def office_label(self, obj: Note) -> str:
        return obj.office.label

    @admin.display(description=_("Meeting"), ordering="meeting__start_date")
    def meeting_label(self, obj: Note) -> str:
        if not obj.meeting:
            return "—"
        name = obj.meeting.short_code or Truncator(obj.meeting.title).words(5)
        return f"{name} · {selectors.meeting_dates(obj.meeting)}"

    @admin.display(description=_("Addressees"))
    def addressees(self, obj: Note) -> str:
        return group_labels(obj.addressee_groups, short=True) or gettext("Named addressees")

    @admin.display(description=_("Copies: sent / failed / by hand / in progress"))
    def copy_counts(self, obj: Note):
        if not obj.copies_total:
            return "—"
        if obj.copies_recorded == obj.copies_total:  # an archive taken in: nothing was ever sent from here
            return ngettext(
                "%(count)s recorded (sent outside the portal)",
                "%(count)s recorded (sent outside the portal)",
                obj.copies_total,
            ) % {"count": obj.copies_total}
        return format_html(
            "{} / <strong>{}</strong> / {} / {}",
            obj.copies_sent,
            obj.copies_failed,
            obj.copies_by_hand,
            obj.copies_queued,
        )


BRACKETS = re.compile(r" \(|（")  # Chinese labels open their explanation with a full-width bracket


def group_labels(codes: list[str], *, short: bool = False) -> str:
    """“States Parties, Signatories”, as the officer chose them; an unknown code shows as it is stored.

    ``short`` leaves out the explanations in brackets, for lists.
    """
    labels = dict(AddresseeGroup.choices)
    names = (str(labels.get(code, code)) for code in codes)  # the labels are lazy: in the reader's language
    return ", ".join(BRACKETS.split(name)[0] if short else name for name in names)


def template_label(template: NoteTemplate) -> str:
    owner = template.office.label if template.office_id else gettext("shared")
    return f"{template.name} · {template.get_language_display()} · {owner}"


@admin.register(NoteCopy)
class NoteCopyAdmin(admin.ModelAdmin):
    """The outbox: every copy of every issued note, one row per addressee."""

    list_display = ["note", "addressee_name", "delivery", "status", "attempts", "sent_at", "short_error"]
    list_filter = ["status", "delivery", "note__office"]
    search_fields = ["addressee_name", "emails", "note__reference", "note__subject_text"]
    list_select_related = ["note"]
    # "What the server answered" shows delivered_to and refused, address by address.
    readonly_fields = ["addresses", *(f.name for f in NoteCopy._meta.fields if f.name not in PER_ADDRESS)]
    exclude = sorted(PER_ADDRESS)
    actions = ["resend_failed"]

    def get_urls(self):
        return [
            path(
                "<int:pk>/correct-address/",
                self.admin_site.admin_view(views.AddressCorrectView.as_view(admin_site=self.admin_site)),
                name="correspondence_notecopy_correct_address",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("What the server answered"))
    def addresses(self, obj: NoteCopy):
        return address_outcomes_html(obj, "admin:correspondence_notecopy_correct_address")

    def get_queryset(self, request):
        copies = super().get_queryset(request)
        office_ids = permissions.office_ids_for(request.user)
        return copies if office_ids is None else copies.filter(note__office_id__in=office_ids)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Last error"))
    def short_error(self, obj: NoteCopy) -> str:
        return obj.last_error[:80]

    @admin.action(description=_("Re-send the selected failed copies"))
    def resend_failed(self, request, queryset):
        done = 0
        for copy in queryset.filter(status=NoteCopy.Status.FAILED).select_related("note__office"):
            try:
                services.copy_resend(copy=copy, user=request.user)
                done += 1
            except services.CorrespondenceError as error:
                messages.error(
                    request, gettext("%(addressee)s: %(error)s") % {"addressee": copy.addressee_name, "error": error}
                )
        messages.success(
            request, ngettext("%(count)s copy queued again.", "%(count)s copies queued again.", done) % {"count": done}
        )


# What the server answered for an address, as staff read it (selectors.AddressOutcome.outcome).
OUTCOMES = {
    "accepted": _("accepted"),
    "refused": _("refused"),
    "waiting": _("not sent yet"),
}


def address_outcomes_html(row, correct_url_name: str):
    """Each address with the server's answer; a link to correct a refused one of a failed row."""
    items = format_html_join(
        "",
        "<li>{} – {}{}</li>",
        (
            (
                item.address,
                OUTCOMES.get(item.outcome, item.outcome),
                f": {item.reason}" * bool(item.reason),
            )
            for item in selectors.address_outcomes(row)
        ),
    )
    link = ""
    if row.refused and row.status == row.Status.FAILED:
        link = format_html(
            '<a class="button" href="{}">{}</a>',
            reverse(correct_url_name, args=[row.pk]),
            gettext("Correct a refused address…"),
        )
    return format_html('<ul class="address-outcomes">{}</ul>{}', items, link)


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    """The portal's other e-mails (to focal points, …): the same outbox as the note copies."""

    list_display = ["short_to", "subject", "source", "status", "attempts", "queued", "sent", "short_error"]
    list_filter = ["status", "source"]
    search_fields = ["to", "subject"]
    readonly_fields = ["addresses", *(f.name for f in Email._meta.fields if f.name not in PER_ADDRESS)]
    exclude = sorted(PER_ADDRESS)
    actions = ["resend_failed"]

    def get_urls(self):
        return [
            path(
                "<int:pk>/correct-address/",
                self.admin_site.admin_view(views.AddressCorrectView.as_view(admin_site=self.admin_site, model=Email)),
                name="correspondence_email_correct_address",
            ),
            *super().get_urls(),
        ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=pgettext_lazy("e-mail", "To"), ordering="to")
    def short_to(self, obj: Email) -> str:
        return ", ".join(obj.to_list)

    @admin.display(description=pgettext_lazy("e-mail status", "Queued"), ordering="created_at")
    def queued(self, obj: Email) -> str:
        return date_format(timezone.localtime(obj.created_at), "SHORT_DATETIME_FORMAT")

    @admin.display(description=pgettext_lazy("e-mail status", "Sent"), ordering="sent_at")
    def sent(self, obj: Email) -> str:
        return date_format(timezone.localtime(obj.sent_at), "SHORT_DATETIME_FORMAT") if obj.sent_at else "—"

    @admin.display(description=_("Last error"))
    def short_error(self, obj: Email) -> str:
        return obj.last_error[:80]

    @admin.display(description=_("What the server answered"))
    def addresses(self, obj: Email):
        return address_outcomes_html(obj, "admin:correspondence_email_correct_address")

    @admin.action(description=_("Re-send the selected failed e-mails"))
    def resend_failed(self, request, queryset):
        done = 0
        for email in queryset.filter(status=Email.Status.FAILED):
            try:
                services.email_resend(email=email, user=request.user)
                done += 1
            except services.CorrespondenceError as error:
                messages.error(request, gettext("%(message)s: %(error)s") % {"message": email, "error": error})
        messages.success(
            request,
            ngettext("%(count)s e-mail queued again.", "%(count)s e-mails queued again.", done) % {"count": done},
        )
