import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """admin_client creates a superuser per test; the production hasher costs ~0.5 s each time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
