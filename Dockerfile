# The yuqing worker image: `docker compose up` runs it against the Temporal service.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml ./
COPY domain ./domain
COPY workflows ./workflows
COPY activities ./activities
COPY workers ./workers
COPY starter ./starter
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /app yuqing \
    && mkdir -p /var/lib/yuqing/outbox \
    && chown yuqing /var/lib/yuqing/outbox

USER yuqing
# notices, assignment forms and transfers land here (one JSON file each); compose mounts a volume
ENV YUQING_OUTBOX=/var/lib/yuqing/outbox
VOLUME ["/var/lib/yuqing/outbox"]

# TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_API_KEY / TLS settings come from the environment
CMD ["yuqing", "worker"]
