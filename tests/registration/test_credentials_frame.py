"""The credentials PDF is shown in a frame on the secretariat's review screen: the portal may frame it, no
other site may, and no other page of the portal may be framed at all (Content-Security-Policy)."""

import pytest
from django.urls import reverse

from registration import services
from tests.csp import policy_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def credentials(delegation_a, focal_a, pdf_upload):
    delegation = services.delegation_submit(delegation=delegation_a, user=focal_a)
    return services.credentials_upload(delegation=delegation, file=pdf_upload(), user=focal_a)


def test_the_credentials_file_may_be_framed_by_the_portal_only(login, secretariat, credentials):
    response = login(secretariat).get(reverse("registration:credentials_file", args=[credentials.pk]))

    assert response.status_code == 200
    assert policy_of(response)["frame-ancestors"] == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_review_screen_frames_the_credentials_and_cannot_be_framed_itself(login, secretariat, credentials):
    review = reverse("admin:registration_delegation_change", args=[credentials.delegation.pk])
    response = login(secretariat).get(review)

    assert response.status_code == 200
    assert 'id="credentials-pdf"' in response.content.decode()
    assert policy_of(response)["frame-src"] == ["'self'"]
    assert policy_of(response)["frame-ancestors"] == ["'none'"]
