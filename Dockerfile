# The Wijkportaal image: one image for the web process (gunicorn) and for the Celery worker
# and beat; docker-compose.yml picks the command. Every setting comes from the environment
# (see .env.example); the image holds no secret.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    WIJKPORTAAL_STATICFILES_STORAGE=whitenoise.storage.CompressedManifestStaticFilesStorage

WORKDIR /app

# The dependencies first, in their own layer, so that a change to the code does not reinstall
# them: exactly the versions of the runtime lock, each file checked against its hash (`make
# lock` writes it), then the project itself without looking for dependencies. All of them
# ship wheels (GEOS comes inside shapely, PROJ inside pyproj), so the image needs no compiler
# and no GDAL.
COPY pyproject.toml README.md ./
COPY requirements/runtime.txt requirements/runtime.txt
RUN pip install --require-hashes -r requirements/runtime.txt \
    && pip install --no-deps . && rm -rf build *.egg-info

COPY . .

# Settings refuse to load without a secret key unless DEBUG is on. These two commands touch
# no database, sessions or signatures, so a throwaway key set for this RUN only is enough; it
# does not end up in the image's environment.
RUN DJANGO_SECRET_KEY=build-only-not-secret python manage.py compiletranslations \
    && DJANGO_SECRET_KEY=build-only-not-secret python manage.py collectstatic --no-input

# Run as an unprivileged user. The code, the compiled translations and the collected static
# files stay owned by root, so the processes cannot change them.
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /app wijkportaal
USER wijkportaal

# gunicorn with gthread workers on port 8000 (wijkportaal/gunicorn_conf.py); docker-compose.yml
# puts nginx in front of it.
EXPOSE 8000
CMD ["gunicorn", "--config", "wijkportaal/gunicorn_conf.py", "wijkportaal.wsgi"]
