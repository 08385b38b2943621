import io

import pytest
from pypdf import PdfWriter

from ccm_portal.celery import app as celery_app


@pytest.fixture(autouse=True)
def _isolated_side_effects(settings, tmp_path):
    """Uploads go to a temporary folder, mail to the test outbox, tasks run in-process.

    The worker tests switch Celery back to the real broker themselves.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def pdf_bytes() -> bytes:
    """A small, real, one-page PDF."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
