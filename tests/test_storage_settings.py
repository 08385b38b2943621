"""Where uploaded files go, chosen from the environment: this host's disk, or an S3-compatible bucket shared by
every host (ccm_portal/settings/files.py). No real bucket is reached: the storages are only built."""

import json
import secrets
import subprocess
import sys

import environ
import pytest
from django.core.files.base import ContentFile

from ccm_portal.settings.files import SIGNED_URL_SECONDS, file_storages
from registration.models import Credentials, PrivateStorage, private_storage
from registration.storage import PrivateS3Storage
from tests.test_setup import ROOT, _clean_env

STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"


@pytest.fixture
def chosen(monkeypatch):
    """``chosen(AWS_STORAGE_BUCKET_NAME=…)``: the STORAGES these environment variables give."""

    def choose(**variables: str) -> dict:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return file_storages(environ.Env(), staticfiles_backend=STATIC)

    return choose


@pytest.fixture(autouse=True)
def _no_bucket_from_this_shell(monkeypatch):
    for name in ("AWS_STORAGE_BUCKET_NAME", "AWS_PRIVATE_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)


def test_with_no_bucket_files_stay_on_this_hosts_disk(chosen):
    chosen = chosen()

    assert chosen["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert chosen["private"]["BACKEND"] == "registration.models.PrivateStorage"
    assert chosen["staticfiles"]["BACKEND"] == STATIC


def test_credentials_are_kept_by_the_private_storage_and_have_no_url(settings, tmp_path):
    field = Credentials._meta.get_field("file")
    field_storage = field.storage

    assert field._storage_callable is private_storage  # STORAGES["private"], whatever it names
    assert isinstance(field_storage, PrivateStorage)
    name = field_storage.save("credentials/2026/letter.pdf", ContentFile(b"%PDF-1.7"))
    assert (tmp_path / "private" / name).is_file()  # PRIVATE_MEDIA_ROOT, as tests/conftest.py sets it
    with pytest.raises(ValueError, match="not accessible via a URL"):
        field_storage.url(name)


def test_a_bucket_keeps_media_and_credentials_apart_and_private(chosen):
    chosen = chosen(AWS_STORAGE_BUCKET_NAME="ccm-files", AWS_S3_ENDPOINT_URL="https://s3.example.org")
    media, private = chosen["default"], chosen["private"]

    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert private["BACKEND"] == "registration.storage.PrivateS3Storage"
    assert chosen["staticfiles"]["BACKEND"] == STATIC  # static files stay with the application
    assert (media["OPTIONS"]["bucket_name"], media["OPTIONS"]["location"]) == ("ccm-files", "media")
    assert (private["OPTIONS"]["bucket_name"], private["OPTIONS"]["location"]) == ("ccm-files", "private")
    for options in (media["OPTIONS"], private["OPTIONS"]):
        assert options["endpoint_url"] == "https://s3.example.org"
        assert options["default_acl"] is None  # no ACL sent: never public-read
        assert options["querystring_auth"] is True
        assert options["querystring_expire"] == SIGNED_URL_SECONDS <= 300
        assert options["file_overwrite"] is False


def test_credentials_may_have_a_bucket_of_their_own(chosen):
    chosen = chosen(AWS_STORAGE_BUCKET_NAME="ccm-media", AWS_PRIVATE_STORAGE_BUCKET_NAME="ccm-credentials")

    assert chosen["default"]["OPTIONS"]["bucket_name"] == "ccm-media"
    assert chosen["private"]["OPTIONS"]["bucket_name"] == "ccm-credentials"


def test_credentials_in_a_bucket_have_no_url_and_no_public_acl(chosen):
    options = chosen(AWS_STORAGE_BUCKET_NAME="ccm-files")["private"]["OPTIONS"]
    storage = PrivateS3Storage(**options | {"default_acl": "public-read", "querystring_auth": False})

    assert storage.default_acl is None
    assert storage.querystring_auth is True
    assert storage.location == "private"
    with pytest.raises(ValueError, match="not accessible via a URL"):
        storage.url("credentials/2026/letter.pdf")


def test_production_settings_take_the_bucket_from_the_environment():
    code = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES))"
    env = _clean_env(
        DJANGO_SETTINGS_MODULE="ccm_portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL="postgres://portal:secret@db.example.org:5432/portal",
        AWS_STORAGE_BUCKET_NAME="ccm-files",
        AWS_S3_REGION_NAME="eu-central-1",
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    chosen = json.loads(result.stdout)
    assert chosen["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert chosen["private"]["BACKEND"] == "registration.storage.PrivateS3Storage"
    assert chosen["private"]["OPTIONS"]["region_name"] == "eu-central-1"
    assert chosen["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
