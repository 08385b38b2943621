import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Delegations need a creating user; the production hasher would cost half a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
