# syntax=docker/dockerfile:1
# Build: docker build -t role-guides .
# Migrations are an explicit step: docker run --rm --env-file .env role-guides python manage.py migrate

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN python -m venv /venv && /venv/bin/pip install "pip==26.3"
# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml requirements.lock build-constraints.txt README.md ./
RUN /venv/bin/pip install --build-constraint build-constraints.txt -c requirements.lock \
    "django==5.2.19" && \
    /venv/bin/pip install --build-constraint build-constraints.txt -c requirements.lock \
    $(/venv/bin/python -c "import tomllib;print(' '.join(tomllib.load(open('pyproject.toml','rb'))['project']['dependencies']))")
COPY . .
RUN /venv/bin/pip install --no-deps . && \
    DJANGO_SETTINGS_MODULE=config.settings.local /venv/bin/python manage.py collectstatic --noinput

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH="/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=config.settings.production
RUN useradd --create-home --uid 10001 app
WORKDIR /app
COPY --from=build /venv /venv
COPY --from=build --chown=app:app /app /app
USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000"]
