from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.views.generic import TemplateView

from correspondence.models import Office
from correspondence.services import CorrespondenceError
from meetings.models import Meeting
from treaties.models import Treaty

from . import permissions, selectors, services
from .models import FIRST_REPORTING_YEAR


class SecretariatOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.can_work_on_obligations(request.user):
            raise PermissionDenied(gettext("For the secretariat only."))
        return super().dispatch(request, *args, **kwargs)


CONTENT_TYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class ComplianceView(SecretariatOnlyMixin, TemplateView):
    """Article 7 compliance per treaty and year, the States behind each count, the overdue initial reports."""

    template_name = "obligations/compliance.html"

    def get(self, request, *args, **kwargs):
        treaties = list(Treaty.objects.order_by("-code"))  # CCM first, then APMBC
        code = request.GET.get("treaty") or treaties[0].code
        treaty = next((t for t in treaties if t.code == code), None)
        if treaty is None:
            raise Http404(gettext("No such treaty."))
        at = timezone.localdate()
        fmt = request.GET.get("format")
        if fmt:
            if fmt not in CONTENT_TYPES:
                raise Http404(gettext("Available as CSV or XLSX."))
            response = HttpResponse(
                selectors.compliance_export(treaty=treaty, at=at, file_format=fmt), content_type=CONTENT_TYPES[fmt]
            )
            response["Content-Disposition"] = f'attachment; filename="article7-compliance-{treaty.code}-{at}.{fmt}"'
            return response
        table = list(reversed(selectors.compliance_table(treaty=treaty, at=at)))  # the latest year first
        context = self.get_context_data(
            treaties=treaties,
            treaty=treaty,
            at=at,
            table=table,
            overdue=selectors.overdue_initial_reports(treaty=treaty, at=at),
            **self._detail(treaty, at),
        )
        return self.render_to_response(context)

    def _detail(self, treaty, at) -> dict:
        """The States behind one count, when one was clicked; an unknown year or column shows nothing."""
        show, year = self.request.GET.get("show", ""), self.request.GET.get("year", "")
        if show not in COUNT_LABELS or not year.isdigit() or not FIRST_REPORTING_YEAR <= int(year) <= at.year:
            return {}
        rows = selectors.obligations_counted_as(treaty=treaty, at=at, year=int(year), counted_as=show)
        return {"detail": rows, "detail_year": int(year), "detail_key": show, "detail_label": COUNT_LABELS[show]}


# As they follow "Reports due in 2025," on the page.
COUNT_LABELS = {
    "owed": pgettext_lazy("reports", "owed"),
    "on_time": pgettext_lazy("reports", "submitted on time"),
    "late": pgettext_lazy("reports", "submitted late"),
    "overdue": pgettext_lazy("reports", "overdue"),
    "pending": pgettext_lazy("reports", "not yet due"),
}


class CostSharesView(SecretariatOnlyMixin, TemplateView):
    """Article 14: each participating State's share of a meeting's cost, on screen, as XLSX, and as notes."""

    template_name = "obligations/cost_shares.html"

    @cached_property
    def meeting(self) -> Meeting:
        # Looked up after the permission check: others learn nothing about which meetings exist.
        return get_object_or_404(Meeting.objects.select_related("treaty"), slug=self.kwargs["slug"])

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
        if request.POST.get("confirm") != "1":
            # Issuing numbers the notes and mails them at once: nothing goes without the officer's yes.
            messages.error(request, gettext("Nothing was issued: tick the box to confirm that the notes go out now."))
            return HttpResponseRedirect(request.path)
        try:
            notes = services.assessment_notes_issue(meeting=self.meeting, office=office, user=request.user)
        except (selectors.CostShareError, CorrespondenceError) as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "Issued %(count)s assessment note; it is being sent.",
                    "Issued %(count)s assessment notes; they are being sent.",
                    len(notes),
                )
                % {"count": len(notes)},
            )
        return HttpResponseRedirect(request.path)
