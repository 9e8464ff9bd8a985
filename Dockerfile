# syntax=docker/dockerfile:1
# Styrkort: build the wheel set in one stage, run as a non-root user in a slim one.
# On start the container migrates the database, then serves with uvicorn.

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY app ./app
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install -c constraints.txt .

FROM python:3.11-slim AS runtime
# The PDF report (WeasyPrint): Pango, HarfBuzz's subsetter (reproducible font embedding) and the
# DejaVu fonts it is set in; the same list as scripts/lib/system.sh.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    STYRKORT_ENVIRONMENT=production \
    STYRKORT_DATABASE_URL=sqlite+aiosqlite:////data/styrkort.sqlite3
RUN groupadd --system styrkort && useradd --system --gid styrkort --home /app styrkort \
 && mkdir -p /data && chown styrkort:styrkort /data
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=styrkort:styrkort alembic.ini ./
COPY --chown=styrkort:styrkort migrations ./migrations
COPY --chown=styrkort:styrkort app ./app
COPY --chown=styrkort:styrkort openapi ./openapi
USER styrkort
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health/ready', timeout=4).status == 200 else 1)"
CMD ["sh", "-c", "python -m app.cli migrate && exec uvicorn app.main:app --host 0.0.0.0 --port 8000 --proxy-headers --forwarded-allow-ips='*'"]
