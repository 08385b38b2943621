from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.generic import DetailView, ListView, View

from treaties.models import Treaty

from . import selectors
from .calendar import meetings_calendar
from .models import Document, Meeting


def calendar_links(request, path: str) -> dict[str, str]:
    """The feed to download, and the same feed as a webcal:// link, which calendar programs subscribe to."""
    return {"calendar_url": path, "webcal_url": f"webcal://{request.get_host()}{path}"}


class MeetingListView(ListView):
    template_name = "meetings/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 20

    def get_queryset(self):
        params = self.request.GET
        self.when = "past" if params.get("when") == "past" else "upcoming"
        self.treaty = params.get("treaty", "")
        self.kind = params.get("kind", "") if params.get("kind", "") in Meeting.Kind.values else ""
        return selectors.meeting_list(today=timezone.localdate(), when=self.when, treaty=self.treaty, kind=self.kind)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            when=self.when,
            treaty=self.treaty,
            kind=self.kind,
            treaties=Treaty.objects.order_by("code"),
            kinds=Meeting.Kind.choices,
            **calendar_links(
                self.request,
                reverse("meetings:calendar") + (f"?{urlencode({'treaty': self.treaty})}" if self.treaty else ""),
            ),
            **kwargs,
        )


class MeetingDetailView(DetailView):
    template_name = "meetings/meeting_detail.html"
    context_object_name = "meeting"

    def get_object(self, queryset=None):
        try:
            return selectors.meeting_detail(slug=self.kwargs["slug"])
        except Meeting.DoesNotExist:
            raise Http404("No such meeting.") from None

    def get_context_data(self, **kwargs):
        meeting = self.object
        officers = list(meeting.officers.all())
        return super().get_context_data(
            presidency=selectors.presidency_history(meeting),
            other_officers=[o for o in officers if o.role not in meeting.officers.model.PRESIDING_ROLES],
            today=timezone.localdate(),
            **calendar_links(self.request, reverse("meetings:meeting_calendar", args=[meeting.slug])),
            **kwargs,
        )


class CalendarView(View):
    def ics_response(self, meetings, *, name: str, filename: str) -> HttpResponse:
        base_url = self.request.build_absolute_uri("/").rstrip("/")
        response = HttpResponse(
            meetings_calendar(meetings, base_url=base_url, name=name), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class MeetingCalendarView(CalendarView):
    def get(self, request, slug: str):
        meeting = Meeting.objects.select_related("treaty").filter(slug=slug).first()
        if meeting is None:
            raise Http404("No such meeting.")
        return self.ics_response([meeting], name=str(meeting), filename=f"{meeting.slug}.ics")


class AllMeetingsCalendarView(CalendarView):
    def get(self, request):
        meetings = Meeting.objects.select_related("treaty").order_by("start_date")
        treaty = request.GET.get("treaty")
        if treaty:
            meetings = meetings.filter(treaty__code=treaty)
        return self.ics_response(meetings, name=gettext("Treaty meetings"), filename="meetings.ics")


class DocumentFileView(View):
    """Meeting documents are public; served through Django so no web-server media setup is needed."""

    def get(self, request, pk: int):
        document = Document.objects.filter(pk=pk).exclude(file="").first()
        if document is None:
            raise Http404("No such document.")
        filename = f"{document.symbol.replace('/', '_')}-{document.language}.pdf"
        return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=filename)
