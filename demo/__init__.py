"""Demo data for `make run` and the tests that walk the portal: the registry, the meetings and offices of the
seed letters, accounts for each role, letters, delegations and obligations (``manage.py load_demo``).

An app above every domain app and below ccm_portal: it writes through the apps' services, and nothing imports it
but its command and the tests."""
