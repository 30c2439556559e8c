# syntax=docker/dockerfile:1
# Every service's image, from this one file: its API (gunicorn, the default command), its event consumer
# (python -m stvos_<service>.entrypoints.consumer), its outbox relay (python -m stvos_<service>.entrypoints.relay)
# and its migrations (python -m stvos_shared.migrations upgrade <service>). Each service still gets an image
# of its own, with only its own package in it; it listens on the service's port in gateway/routes.toml.
# Build from the repository root, once per service:
#   docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=auth -t stvos/auth .

FROM python:3.11-slim AS build
ARG SERVICE
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN test -n "$SERVICE" || { echo "build with --build-arg SERVICE=<name>, a service of gateway/routes.toml" >&2; exit 1; }
RUN python -m venv /venv
ENV PATH=/venv/bin:$PATH
WORKDIR /src
COPY gateway/routes.toml deploy/docker/gunicorn_conf.py ./
RUN python gunicorn_conf.py "$SERVICE" routes.toml > gunicorn.conf.py
COPY shared/ shared/
COPY services/${SERVICE}/ services/${SERVICE}/
RUN pip install "./shared[postgres,rabbitmq]" "./services/${SERVICE}[production]"

FROM python:3.11-slim
ARG SERVICE
RUN groupadd --system --gid 10001 stvos && useradd --system --uid 10001 --gid stvos --no-create-home stvos
COPY --from=build /venv /venv
COPY --from=build /src/gunicorn.conf.py /app/gunicorn.conf.py
# Alembic's environment (the migrations are not part of the installed package).
COPY services/${SERVICE}/alembic.ini /app/services/${SERVICE}/alembic.ini
COPY services/${SERVICE}/migrations/ /app/services/${SERVICE}/migrations/
# Every process of the image (API, consumer, relay) serves Prometheus metrics on METRICS_PORT.
ENV PATH=/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 STVOS_SERVICES_DIR=/app/services \
    METRICS_PORT=9100
WORKDIR /app
USER 10001:10001
CMD ["gunicorn", "--config", "/app/gunicorn.conf.py"]
