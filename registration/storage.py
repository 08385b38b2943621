"""Credentials in an S3-compatible bucket (chosen in ccm_portal/settings/files.py). Imported only then:
boto3 is not loaded on a portal that keeps its files on disk."""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """Like registration.models.PrivateStorage on disk: no URL at all, so only a permission-checked view,
    reading the file through the storage, can serve it; and never a public ACL, whatever the settings say."""

    def __init__(self, **settings):
        super().__init__(**settings | {"default_acl": None, "querystring_auth": True})

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("This file is not accessible via a URL.")
