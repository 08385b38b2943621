import datetime as dt, io
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from ccm_portal.uploads import validate_pdf
from meetings.models import Meeting, Officer, Document
from meetings.calendar import meetings_calendar
from tests.factories import MeetingFactory, OfficerFactory, DocumentFactory

@pytest.mark.django_db
def test_explore(pdf_bytes):
    m = MeetingFactory.build(start_date=dt.date(2030,1,5), end_date=dt.date(2030,1,4))
    try: m.full_clean()
    except ValidationError as e: print("END", e.message_dict)
    m = MeetingFactory(kind="msp", number=3)
    m2 = MeetingFactory.build(kind="msp", number=3)
    try: m2.full_clean()
    except ValidationError as e: print("NUM", e.message_dict)
    OfficerFactory(meeting=m)
    o = OfficerFactory.build(meeting=m)
    try: o.full_clean()
    except ValidationError as e: print("OFF", e.message_dict)
    d = DocumentFactory(meeting=m, symbol="X/1")
    d2 = DocumentFactory.build(meeting=m, symbol="X/1")
    try: d2.full_clean()
    except ValidationError as e: print("DOC", e.message_dict)
    for data in [b"%PDF-1.7\n garbage garbage", b"%PDF-", b"%PDF-1.4\n" + b"x"*5000]:
        try: validate_pdf(SimpleUploadedFile("a.pdf", data)); print("OK?!", data[:20])
        except ValidationError as e: print("PDF", e.messages)
    m3 = MeetingFactory(start_date=dt.date(2010,3,17), end_date=dt.date(2010,3,17), start_time=dt.time(15))
    print(meetings_calendar([m, m3], base_url="http://x", name="n").decode())
