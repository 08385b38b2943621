"""The shared kernel: what every app may import, and which imports no app (docs/architecture.md).

Roles and the one ``is_secretariat`` (roles.py), upload checks and request limits (uploads.py, limits.py),
PDF rendering (pdf.py), dates written out (dates.py), the UN languages (languages.py), tabular import and
its row errors (tabular.py), admin date columns (admin_display.py), form widgets (widgets.py) and the
data version that cached figures are keyed by (data_version.py). A plain package: no models, no app config.
"""
