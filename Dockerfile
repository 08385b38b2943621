FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=ccm_portal.settings.production

# WeasyPrint needs pango and harfbuzz subsetting (without it a note takes seconds);
# the Noto fonts cover Latin, Cyrillic, Arabic, Lao and Chinese; gettext compiles the catalogues.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput \
 && python manage.py compilemessages -v0 \
 && useradd --system --uid 1000 --home /app portal \
 && mkdir -p /app/var/media /app/var/private && chown -R portal /app/var

USER portal
EXPOSE 8000
CMD ["gunicorn", "ccm_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
