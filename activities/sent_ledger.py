"""发送记录: what each channel answered for each notice, recipient and channel, on disk.

Kept beside the outbox (``<outbox>/sent/*.sent``, JSON sealed like the outbox's files), one file per key, written before a call
(``in_flight``) and after it (the answer). A retried activity or a restarted worker reads
it first: what a channel took is never sent again, and a call a crash interrupted is sent
again only to a channel whose receiver drops a repeat of the same key.
"""

import hashlib
import json
from pathlib import Path

from activities.outbox import write_json
from domain.file_names import file_stem, inside
from domain.notifications import Attempt
from settings.sealed_files import unseal


def idempotency_key(notice_key: str, recipient_id: str, channel: str) -> str:
    """ASCII, fixed length: fit for an HTTP header and a Message-ID whatever the ids hold."""
    whole = json.dumps([notice_key, recipient_id, channel], ensure_ascii=False)
    return hashlib.sha256(whole.encode("utf-8")).hexdigest()[:40]


class SentLedger:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        # not .json: `yuqing outbox` lists the notices, never this bookkeeping
        return inside(self.folder, f"{file_stem(key)}.sent")

    def read(self, key: str) -> tuple[list[Attempt], bool]:
        """The answers recorded so far, and whether a call was under way when it stopped."""
        path = self._path(key)
        if not path.exists():
            return [], False
        record = unseal(path.read_text(encoding="utf-8"))
        return [Attempt.model_validate(a) for a in record["attempts"]], record["in_flight"]

    def begin(self, key: str, earlier: list[Attempt]) -> None:
        self._write(key, earlier, in_flight=True)

    def finish(self, key: str, attempts: list[Attempt]) -> None:
        self._write(key, attempts, in_flight=False)

    def _write(self, key: str, attempts: list[Attempt], *, in_flight: bool) -> None:
        write_json(self._path(key), {"key": key, "in_flight": in_flight,
                                     "attempts": [a.model_dump(mode="json") for a in attempts]})
