"""Where uploaded files are kept, chosen from the environment (README, "Files").

With no bucket named, on this host's disk: MEDIA_ROOT for what anyone may download (meeting documents,
emblems) and PRIVATE_MEDIA_ROOT for what only permission-checked views serve (credentials letters). With
AWS_STORAGE_BUCKET_NAME, in an S3-compatible bucket, so that several hosts share the files: under
``media/`` and ``private/`` (or a bucket of its own, AWS_PRIVATE_STORAGE_BUCKET_NAME). No file is given a
public ACL, and the portal serves every one through its own views.
"""

import environ

# A signed URL stays valid this long. The portal itself reads files through the storage and never hands out
# a bucket's URL; only the admin's "currently" link of a public document uses one.
SIGNED_URL_SECONDS = 60


def file_storages(env: environ.Env, *, staticfiles_backend: str) -> dict:
    """Django's STORAGES: "default" for media, "private" for credentials, "staticfiles" as given."""
    bucket = env.str("AWS_STORAGE_BUCKET_NAME", default="")
    if not bucket:
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {"BACKEND": "registration.models.PrivateStorage"},
            "staticfiles": {"BACKEND": staticfiles_backend},
        }
    # Keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an instance role), read by boto3 itself.
    common = {
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        # No ACL is sent: objects are as private as the bucket, whose public access must be blocked.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": SIGNED_URL_SECONDS,
        # As on disk: a second upload under the same name gets a new name instead of replacing the first.
        "file_overwrite": False,
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": common | {"bucket_name": bucket, "location": "media"},
        },
        "private": {
            "BACKEND": "registration.storage.PrivateS3Storage",
            "OPTIONS": common
            | {"bucket_name": env.str("AWS_PRIVATE_STORAGE_BUCKET_NAME", default=bucket), "location": "private"},
        },
        "staticfiles": {"BACKEND": staticfiles_backend},
    }
