"""The outbox: where deliveries land when no real phone/SMS/message service is wired in.

One JSON file per delivery, named by its idempotency key, written atomically and
sealed with the payload keys (``settings.sealed_files``: a 交办单 carries the report's
content); an operator with the keys reads them with ``yuqing outbox``. A retried
activity finds its file (same key, same content digest) and reports the earlier
delivery instead of sending again; a different delivery under the same key is written
beside it, never taken as already delivered.
"""

import hashlib
import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from domain.file_names import file_stem, inside
from domain.notifications import Delivery
from settings.home import home_path
from settings.sealed_files import seal, unseal


class Outbox:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def deliver(self, kind: str, key: str, channels: list[str], content: dict) -> Delivery:
        if not kind.replace("_", "").isalnum():
            raise ValueError(f"unknown delivery kind {kind!r}")
        digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False,
                                           default=str).encode("utf-8")).hexdigest()
        path = inside(self.folder, f"{kind}/{file_stem(key)}.json")
        if path.exists():
            first = unseal(path.read_text(encoding="utf-8"))
            earlier: dict | None = first
            if first.get("content_digest", digest) != digest:
                # Another delivery under the same key (another incident's id that reads
                # alike, another run of a reused id): delivered too, beside the first.
                path = inside(self.folder, f"{kind}/{file_stem(f'{key}#{digest}')}.json")
                earlier = unseal(path.read_text(encoding="utf-8")) if path.exists() else None
            if earlier is not None:
                return Delivery(key=key, channels=channels, location=str(path),
                                delivered_at=earlier["delivered_at"], already_delivered=True)
        delivered_at = datetime.now(timezone.utc)
        record = {"kind": kind, "key": key, "channels": channels,
                  "delivered_at": delivered_at.isoformat(), "content_digest": digest, **content}
        write_json(path, record)
        return Delivery(key=key, channels=channels, location=str(path), delivered_at=delivered_at)


def write_json(path: Path, record: dict) -> None:
    """Write-then-rename, flushed to disk: a crash (even kill -9) never leaves a half-written
    record behind, and a failed write leaves no temporary file either. Sealed with the
    payload keys (``settings.sealed_files``): what was sent, and to whom, is not at rest in clear."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent,
                                     delete=False, suffix=".tmp") as tmp:
        try:
            tmp.write(seal(record))
            tmp.flush()
            os.fsync(tmp.fileno())
        except BaseException:
            tmp.close()
            os.unlink(tmp.name)
            raise
    os.replace(tmp.name, path)


def default_outbox_dir() -> Path:
    return home_path("outbox", "YUQING_OUTBOX")
