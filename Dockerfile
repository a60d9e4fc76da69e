# syntax=docker/dockerfile:1
# Build:   docker build -t role-guides .
# Migrate: docker run --rm --env-file .env role-guides python manage.py migrate
# Run:     docker run --env-file .env -p 127.0.0.1:8000:8000 role-guides  (a local
#          trial only: in production serve it behind the proxy, README "Production")
# (compose.yaml does all three with PostgreSQL and Redis.)

# The stylesheet: Bootstrap's Sass and ours, compiled and purged with the npm
# packages in package-lock.json (the same `npm run build` as make css).
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY assets ./assets
COPY templates ./templates
COPY static/js ./static/js
COPY roles ./roles
RUN npm run build

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
RUN python -m venv /venv && /venv/bin/pip install "pip==26.3"
# Dependencies first: this layer is rebuilt only when the lock changes.
COPY pyproject.toml requirements.lock ./
RUN /venv/bin/python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && /venv/bin/pip install -c requirements.lock -r requirements.txt
COPY . .
COPY --from=assets /app/assets/build ./assets/build
RUN /venv/bin/pip install --no-deps . \
    && DJANGO_SETTINGS_MODULE=config.settings.local /venv/bin/python manage.py collectstatic --noinput

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH="/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=config.settings.production
RUN useradd --create-home --uid 10001 app
WORKDIR /app
COPY --from=build /venv /venv
COPY --from=build --chown=app:app /app /app
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz/', timeout=4).status == 200 else 1)"]
CMD ["gunicorn", "--config", "config/gunicorn.py", "config.wsgi:application"]
