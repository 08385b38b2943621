"""Workflow steps, previews and downloads for staff, reached from the admin's note and template pages."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from . import permissions, rendering, selectors, services
from .forms import AddressCorrectForm, ConfirmForm, IssueConfirmForm, PlaceholdersForm
from .models import Email, Note, NoteCopy
from .sandbox import TemplateProblem


def _visible_note(request, pk: int) -> Note:
    office_ids = permissions.office_ids_for(request.user)
    notes = Note.objects.select_related("office", "treaty", "meeting")
    if office_ids is not None:
        notes = notes.filter(office_id__in=office_ids)
    return get_object_or_404(notes, pk=pk)


def _note_url(note: Note) -> str:
    return reverse("admin:correspondence_note_change", args=[note.pk])


class AdminPageMixin:
    """A page inside the admin: its header, breadcrumbs and sidebar come from the admin site."""

    admin_site = None

    def admin_context(self, request, **extra) -> dict:
        return {**self.admin_site.each_context(request), "opts": Note._meta, **extra}


@method_decorator(staff_member_required, name="dispatch")
class NoteStepView(FormView):
    """POST-only step: validate, call one service, report its refusal as a message."""

    form_class = ConfirmForm
    http_method_names = ["post"]
    success_message = ""

    def call(self, note: Note) -> Note:
        raise NotImplementedError

    def form_valid(self, form):
        note = _visible_note(self.request, self.kwargs["pk"])
        try:
            result = self.call(note)
        except services.CorrespondenceError as error:
            messages.error(self.request, str(error))
            return HttpResponseRedirect(_note_url(note))
        except TemplateProblem as problem:
            messages.error(self.request, gettext("The wording has an error at %(problem)s.") % {"problem": problem})
            return HttpResponseRedirect(_note_url(note))
        messages.success(self.request, str(self.success_message))
        return HttpResponseRedirect(_note_url(result))


class NoteSubmitView(NoteStepView):
    success_message = _("Submitted for approval.")

    def call(self, note):
        return services.note_submit(note=note, user=self.request.user)


class NoteApproveView(NoteStepView):
    success_message = _("Approved. It can now be issued.")

    def call(self, note):
        return services.note_approve(note=note, user=self.request.user)


class NoteCorrectView(NoteStepView):
    success_message = _("A correction of the issued note was created as a draft.")

    def call(self, note):
        return services.note_correct(note=note, user=self.request.user)


@method_decorator(staff_member_required, name="dispatch")
class NoteIssueView(AdminPageMixin, View):
    """Issue in two steps: the page says what will happen (GET); only its confirmation issues (POST)."""

    template_name = "admin/correspondence/note/issue_confirm.html"

    def get(self, request, pk: int):
        note = _visible_note(request, pk)
        try:
            plan = services.note_issue_plan(note=note, user=request.user)
        except services.CorrespondenceError as error:
            return self.page(request, note, refusal=str(error))
        return self.page(request, note, plan=plan, form=IssueConfirmForm(initial={"confirmed": plan.digest}))

    def post(self, request, pk: int):
        note = _visible_note(request, pk)
        form = IssueConfirmForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Nothing was sent: confirm from the confirmation page."))
            return HttpResponseRedirect(reverse("admin:correspondence_note_issue", args=[note.pk]))
        try:
            note = services.note_issue(note=note, user=request.user, confirmed=form.cleaned_data["confirmed"])
        except services.CorrespondenceError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:correspondence_note_issue", args=[note.pk]))
        except TemplateProblem as problem:
            messages.error(
                request, gettext("Nothing was sent: the wording has an error at %(problem)s.") % {"problem": problem}
            )
            return HttpResponseRedirect(_note_url(note))
        if getattr(note, "dispatch_queued", True) is False:
            messages.warning(
                request,
                gettext(
                    "Issued as %(reference)s. Sending will start when the queue is back: "
                    "the copies are saved and are sent by the next sweep, each once."
                )
                % {"reference": note.register_label},
            )
        else:
            messages.success(
                request,
                gettext("Issued as %(reference)s. Its copies are being rendered and sent.")
                % {"reference": note.register_label},
            )
        return HttpResponseRedirect(_note_url(note))

    def page(self, request, note: Note, **extra):
        context = self.admin_context(
            request,
            title=gettext("Issue and dispatch: %(title)s") % {"title": note.title},
            subtitle=None,
            note=note,
            original=note,
            **extra,
        )
        return TemplateResponse(request, self.template_name, context)


def _chosen_addressee(request, note: Note) -> tuple[list[rendering.Addressee], rendering.Addressee | None, str]:
    """The addressees the officer can pick from, the one picked (?to=key, else the first) and a problem, if any."""
    addressees = selectors.preview_addressees(note, today=timezone.localdate())
    wanted = request.GET.get("to", "")
    chosen = next((a for a in addressees if a.key == wanted), None)
    problem = (
        gettext("“%(key)s” is not an addressee of this note: showing the first one.") % {"key": wanted}
        if wanted and not chosen
        else ""
    )
    return addressees, chosen or (addressees[0] if addressees else None), problem


def _wording_error(view, request, note: Note, problem: TemplateProblem):
    """The preview's answer to wording that does not render: the error with its line, inside the admin."""
    context = view.admin_context(request, title=gettext("The note cannot be previewed"), note=note, problem=problem)
    return TemplateResponse(request, "correspondence/preview_error.html", context)


@method_decorator(staff_member_required, name="dispatch")
class NotePreviewView(AdminPageMixin, View):
    """The copy of one addressee on an A4 sheet, laid out by the PDF's own stylesheet."""

    def get(self, request, pk: int):
        note = _visible_note(request, pk)
        addressees, chosen, problem = _chosen_addressee(request, note)
        try:
            rendered = services.note_preview(note=note, addressee=chosen or services.SAMPLE_ADDRESSEE)
        except TemplateProblem as problem:
            return _wording_error(self, request, note, problem)
        return render(
            request,
            "correspondence/preview.html",
            {
                **rendered.sheet,
                "note": note,
                "addressees": addressees,
                "chosen": chosen,
                "problem": problem,
                "by_hand_count": sum(1 for a in addressees if a.by_hand),
            },
        )


@method_decorator(staff_member_required, name="dispatch")
class NotePreviewPdfView(AdminPageMixin, View):
    def get(self, request, pk: int):
        note = _visible_note(request, pk)
        _, chosen, _ = _chosen_addressee(request, note)
        try:
            pdf = services.note_preview_pdf(note=note, addressee=chosen or services.SAMPLE_ADDRESSEE)
        except TemplateProblem as problem:
            return _wording_error(self, request, note, problem)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="preview-{note.pk}.pdf"'
        return response


@method_decorator(staff_member_required, name="dispatch")
class CopyPdfView(View):
    """The exact PDF that was sent to one addressee."""

    def get(self, request, pk: int):
        office_ids = permissions.office_ids_for(request.user)
        copies = NoteCopy.objects.select_related("note__office").exclude(pdf="")
        if office_ids is not None:
            copies = copies.filter(note__office_id__in=office_ids)
        copy = get_object_or_404(copies, pk=pk)
        if not copy.pdf:
            raise Http404(gettext("Not rendered yet."))
        label = copy.note.register_label.replace("/", "-").replace(" ", "_")
        name = f"{label}-{copy.addressee_key.replace(':', '-')}.pdf"
        return FileResponse(copy.pdf.open("rb"), content_type="application/pdf", filename=name)


@method_decorator(staff_member_required, name="dispatch")
class CopyResendView(FormView):
    form_class = ConfirmForm
    http_method_names = ["post"]

    def form_valid(self, form):
        office_ids = permissions.office_ids_for(self.request.user)
        copies = NoteCopy.objects.select_related("note__office")
        if office_ids is not None:
            copies = copies.filter(note__office_id__in=office_ids)
        copy = get_object_or_404(copies, pk=self.kwargs["pk"])
        try:
            copy = services.copy_resend(copy=copy, user=self.request.user)
        except services.CorrespondenceError as error:
            messages.error(self.request, str(error))
        else:
            if getattr(copy, "dispatch_queued", True) is False:
                messages.warning(
                    self.request,
                    gettext("%(addressee)s: sending will start when the queue is back.")
                    % {"addressee": copy.addressee_name},
                )
            else:
                messages.success(
                    self.request, gettext("Re-sending to %(addressee)s.") % {"addressee": copy.addressee_name}
                )
        return HttpResponseRedirect(_note_url(copy.note))


class AddressCorrectView(AdminPageMixin, View):
    """A copy or e-mail the server refused for one of its addresses: correct that address and send to it alone."""

    template_name = "admin/correspondence/address_correct.html"
    model = NoteCopy

    def row(self, request, pk: int):
        if self.model is Email:
            if not permissions.can_resend_email(request.user):
                raise PermissionDenied
            return get_object_or_404(Email, pk=pk)
        office_ids = permissions.office_ids_for(request.user)
        copies = NoteCopy.objects.select_related("note__office")
        if office_ids is not None:
            copies = copies.filter(note__office_id__in=office_ids)
        return get_object_or_404(copies, pk=pk)

    def change_url(self, row) -> str:
        return reverse(f"admin:correspondence_{self.model._meta.model_name}_change", args=[row.pk])

    def page(self, request, row, form):
        context = self.admin_context(
            request,
            opts=self.model._meta,
            row=row,
            form=form,
            change_url=self.change_url(row),
            title=gettext("Correct a refused address: %(message)s") % {"message": row},
            outcomes=selectors.address_outcomes(row),
        )
        return TemplateResponse(request, self.template_name, context)

    def get(self, request, pk: int):
        row = self.row(request, pk)
        return self.page(request, row, AddressCorrectForm(refused=row.refused))

    def post(self, request, pk: int):
        row = self.row(request, pk)
        form = AddressCorrectForm(request.POST, refused=row.refused)
        if not form.is_valid():
            return self.page(request, row, form)
        address, new_address = form.cleaned_data["address"], form.cleaned_data["new_address"]
        try:
            if self.model is Email:
                services.email_address_correct(email=row, address=address, new_address=new_address, user=request.user)
            else:
                services.copy_address_correct(copy=row, address=address, new_address=new_address, user=request.user)
        except services.CorrespondenceError as error:
            form.add_error(None, str(error))
            return self.page(request, row, form)
        messages.success(
            request,
            gettext("Sending to %(new_address)s alone, in place of %(address)s.")
            % {"new_address": new_address, "address": address},
        )
        return HttpResponseRedirect(self.change_url(row))


# --- drafting aids ------------------------------------------------------------------------------------------------


@method_decorator(staff_member_required, name="dispatch")
class TemplateWordingView(View):
    """A template's text, for the note form to fill Subject and Body with (static/correspondence/note_form.js)."""

    def get(self, request, pk: int):
        template = get_object_or_404(selectors.usable_templates(request.user), pk=pk)
        return JsonResponse(
            {
                "name": template.name,
                "form": template.form,
                "language": template.language,
                "subject": template.subject,
                "body": template.body,
            }
        )


@method_decorator(staff_member_required, name="dispatch")
class PlaceholdersView(View):
    """The placeholders beside the note's wording, with their values for what the form says so far."""

    def get(self, request):
        form = PlaceholdersForm(request.GET)
        if not form.is_valid():
            return HttpResponse(gettext("Unknown language or form."), status=400, content_type="text/plain")
        panel = selectors.placeholders_panel_typed(user=request.user, **form.cleaned_data)
        return render(request, "admin/correspondence/note/_placeholders.html", panel)


@method_decorator(staff_member_required, name="dispatch")
class TemplateCopyView(View):
    """“Copy for my office”: the office's own version of wording it may not change."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        template = get_object_or_404(selectors.usable_templates(request.user), pk=pk)
        offices = [o for o in selectors.user_offices(request.user) if o.pk != template.office_id]
        office = next((o for o in offices if str(o.pk) == request.POST.get("office", "")), None)
        if office is None and len(offices) == 1:
            office = offices[0]
        back = reverse("admin:correspondence_notetemplate_change", args=[template.pk])
        if office is None:
            messages.error(
                request,
                gettext("Choose the office the copy is for.") if offices else gettext("You belong to no office."),
            )
            return HttpResponseRedirect(back)
        try:
            copy = services.template_copy(template=template, office=office, user=request.user)
        except services.CorrespondenceError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(back)
        messages.success(
            request,
            gettext("“%(template)s” is now %(office)s's own: change it here; the shared one stays as it was.")
            % {"template": copy, "office": office.label},
        )
        return HttpResponseRedirect(reverse("admin:correspondence_notetemplate_change", args=[copy.pk]))
