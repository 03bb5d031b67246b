# The yuqing worker image: `docker compose up` runs it against the Temporal service.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The bulletin's charts are in Chinese: Noto Sans CJK, which activities/bulletin_files.py picks
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk fontconfig \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# exactly the locked versions, each checked against its hash (scripts/lock-requirements)
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY pyproject.toml ./
COPY domain ./domain
COPY workflows ./workflows
COPY activities ./activities
COPY temporal ./temporal
COPY settings ./settings
COPY workers ./workers
COPY starter ./starter
# every volume's path exists and is the worker's before compose mounts a volume on it (a new
# named volume takes the path's owner from the image); uid 10001 must be able to read the
# keys secret too (README, "Production with docker compose")
RUN pip install --no-deps . \
    && useradd --system --uid 10001 --home-dir /app yuqing \
    && mkdir -p /var/lib/yuqing/outbox /var/lib/yuqing/archive /var/cache/yuqing/matplotlib \
    && chown -R yuqing /var/lib/yuqing /var/cache/yuqing

USER yuqing
# notices, assignment forms and transfers (one JSON file each); the audit archive and the
# monthly bulletins; matplotlib's font cache, built once here
ENV YUQING_OUTBOX=/var/lib/yuqing/outbox \
    YUQING_ARCHIVE=/var/lib/yuqing/archive \
    MPLCONFIGDIR=/var/cache/yuqing/matplotlib
RUN python -c "import activities.bulletin_files"
VOLUME ["/var/lib/yuqing/outbox", "/var/lib/yuqing/archive"]

# TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_API_KEY / TLS settings come from the environment
CMD ["yuqing", "worker"]
