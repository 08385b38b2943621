from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from correspondence.models import Office
from correspondence.services import CorrespondenceError
from meetings.models import Meeting
from registration.permissions import is_secretariat

from . import selectors, services


class CostSharesView(LoginRequiredMixin, TemplateView):
    """Article 14: each participating State's share of a meeting's cost, on screen, as XLSX, and as notes."""

    template_name = "obligations/cost_shares.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_secretariat(request.user):
            raise PermissionDenied("For the secretariat only.")
        self.meeting = get_object_or_404(Meeting.objects.select_related("treaty"), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        try:
            table = selectors.meeting_cost_shares(meeting=self.meeting)
            error = ""
        except selectors.CostShareError as exc:
            table, error = None, str(exc)
        if table is not None and request.GET.get("format") in ("xlsx", "csv"):
            fmt = request.GET["format"]
            response = HttpResponse(selectors.cost_shares_export(table=table, file_format=fmt))
            response["Content-Type"] = (
                "text/csv" if fmt == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            response["Content-Disposition"] = f'attachment; filename="cost-shares-{self.meeting.slug}.{fmt}"'
            return response
        return self.render_to_response(
            self.get_context_data(meeting=self.meeting, table=table, error=error, offices=self.offices())
        )

    @staticmethod
    def offices():
        """The offices the form offers; a POST may pick no other (not a presidency's letterhead)."""
        return Office.objects.filter(kind=Office.Kind.SECRETARIAT).order_by("name")

    def post(self, request, *args, **kwargs):
        office_pk = request.POST.get("office", "")
        office = get_object_or_404(self.offices(), pk=office_pk if office_pk.isdigit() else None)
        try:
            notes = services.assessment_notes_issue(meeting=self.meeting, office=office, user=request.user)
        except (selectors.CostShareError, CorrespondenceError) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Issued {len(notes)} assessment note(s); they are being sent.")
        return HttpResponseRedirect(request.path)
