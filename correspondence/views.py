"""Workflow steps and downloads for staff, reached from the admin's note page."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import FormView

from . import permissions, services
from .forms import ConfirmForm
from .models import Note, NoteCopy
from .sandbox import TemplateProblem


def _visible_note(request, pk: int) -> Note:
    office_ids = permissions.office_ids_for(request.user)
    notes = Note.objects.select_related("office", "treaty", "meeting")
    if office_ids is not None:
        notes = notes.filter(office_id__in=office_ids)
    return get_object_or_404(notes, pk=pk)


def _note_url(note: Note) -> str:
    return reverse("admin:correspondence_note_change", args=[note.pk])


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
            messages.error(self.request, f"The wording has an error at {problem}.")
            return HttpResponseRedirect(_note_url(note))
        messages.success(self.request, self.success_message.format(note=result))
        return HttpResponseRedirect(_note_url(result))


class NoteSubmitView(NoteStepView):
    success_message = "Submitted for approval."

    def call(self, note):
        return services.note_submit(note=note, user=self.request.user)


class NoteApproveView(NoteStepView):
    success_message = "Approved. It can now be issued."

    def call(self, note):
        return services.note_approve(note=note, user=self.request.user)


class NoteIssueView(NoteStepView):
    success_message = "Issued as {note.reference}. Its copies are being rendered and sent."

    def call(self, note):
        return services.note_issue(note=note, user=self.request.user)


class NoteCorrectView(NoteStepView):
    success_message = "A correction of the issued note was created as a draft."

    def call(self, note):
        return services.note_correct(note=note, user=self.request.user)


@method_decorator(staff_member_required, name="dispatch")
class NotePreviewView(View):
    """HTML preview in the browser; a template error is shown with its line instead of the note."""

    def get(self, request, pk: int):
        note = _visible_note(request, pk)
        try:
            rendered = services.note_preview(note=note)
        except TemplateProblem as problem:
            return render(request, "correspondence/preview_error.html", {"note": note, "problem": problem}, status=200)
        return HttpResponse(rendered.html)


@method_decorator(staff_member_required, name="dispatch")
class NotePreviewPdfView(View):
    def get(self, request, pk: int):
        note = _visible_note(request, pk)
        try:
            pdf = services.note_preview_pdf(note=note)
        except TemplateProblem as problem:
            return render(request, "correspondence/preview_error.html", {"note": note, "problem": problem}, status=200)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="preview-{note.pk}.pdf"'
        return response


@method_decorator(staff_member_required, name="dispatch")
class CopyPdfView(View):
    """The exact PDF that was sent to one addressee."""

    def get(self, request, pk: int):
        office_ids = permissions.office_ids_for(request.user)
        copies = NoteCopy.objects.select_related("note").exclude(pdf="")
        if office_ids is not None:
            copies = copies.filter(note__office_id__in=office_ids)
        copy = get_object_or_404(copies, pk=pk)
        if not copy.pdf:
            raise Http404("Not rendered yet.")
        name = f"{copy.note.reference.replace('/', '-').replace(' ', '_')}-{copy.addressee_key.replace(':', '-')}.pdf"
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
            services.copy_resend(copy=copy, user=self.request.user)
        except services.CorrespondenceError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(self.request, f"Re-sending to {copy.addressee_name}.")
        return HttpResponseRedirect(_note_url(copy.note))
