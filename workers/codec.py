"""Payload encryption (载荷加密): personal data never rests in clear in Temporal's storage.

Every payload (report content, URLs, names, messages, statuses) is encrypted with
AES-256-GCM before it leaves the process; the key id travels in the payload's metadata,
so keys rotate: the newest encrypts, any listed key decrypts. A payload without that
metadata (histories recorded before encryption) passes through unchanged, so every
recorded history still replays. Search attributes are never encoded: they hold no
personal data (codes, unit ids, deadlines, the title).

Keys come from ``YUQING_KEYS`` (``id:base64key,id:base64key``, newest last) or the JSON
file ``YUQING_KEYS_FILE`` (default ``var/keys.json``: ``{"current": id, "keys": {id: b64}}``).
Losing a key loses every payload it encrypted, the audit trail included: archive the
keys with the same care as the archive.
"""

import base64
import json
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

from domain.procedure.registry import UNDECRYPTABLE_ENCODING

ENCODING = b"binary/encrypted"
UNDECRYPTABLE = UNDECRYPTABLE_ENCODING.encode()
KEY_ID = "encryption-key-id"
NONCE_BYTES = 12
MAX_KEY_ID_SHOWN = 16  # of an unreadable payload's key id, in its refusal


class KeyNotHeld(ValueError):
    """A payload encrypted under a key this process does not hold (yet): never guessed at."""

    def __init__(self, key_id: str) -> None:
        super().__init__(key_id)
        self.key_id = key_id

    def __str__(self) -> str:
        return (f"payload encrypted with key {self.key_id!r}, which this process does not hold: "
                "give every worker the new key before any starter uses it (README: Key rotation)")


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, bytes]
    current: str

    def __post_init__(self) -> None:
        if self.current not in self.keys:
            raise ValueError(f"current key {self.current!r} is not among the keys")
        for key_id, key in self.keys.items():
            if len(key) != 32:
                raise ValueError(f"key {key_id!r} must be 32 bytes (AES-256), not {len(key)}")


def keys_file() -> Path:
    return Path(os.environ.get("YUQING_KEYS_FILE", "var/keys.json"))


def load_keyring() -> Keyring | None:
    """The configured keys, or None when none are configured (payloads stay in clear)."""
    listed = os.environ.get("YUQING_KEYS", "").strip()
    if listed:
        pairs = [item.split(":", 1) for item in listed.split(",") if item.strip()]
        if any(len(pair) != 2 for pair in pairs):
            raise ValueError("YUQING_KEYS 须为 id:base64key,… (id:base64key pairs, newest last)")
        keys = {key_id.strip(): base64.b64decode(value) for key_id, value in pairs}
        return Keyring(keys, pairs[-1][0].strip())
    path = keys_file()
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Keyring({k: base64.b64decode(v) for k, v in data["keys"].items()}, data["current"])


def create_keys_file(path: Path | None = None) -> Path:
    """A first key for a development machine (mode 0600); an existing file is kept."""
    path = path or keys_file()
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    key_id = f"k{secrets.token_hex(4)}"
    body = json.dumps({"current": key_id,
                       "keys": {key_id: base64.b64encode(AESGCM.generate_key(256)).decode()}})
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(body)
    return path


class EncryptionCodec(PayloadCodec):
    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring

    def encrypt(self, payload: Payload) -> Payload:
        nonce = secrets.token_bytes(NONCE_BYTES)
        key_id = self.keyring.current
        sealed = AESGCM(self.keyring.keys[key_id]).encrypt(
            nonce, payload.SerializeToString(), key_id.encode())
        return Payload(metadata={"encoding": ENCODING, KEY_ID: key_id.encode()},
                       data=nonce + sealed)

    def decrypt(self, payload: Payload) -> Payload:
        """The payload in clear; ``KeyNotHeld`` for a key this process lacks, ``InvalidTag``
        (or ``ValueError``) for a payload that was altered or is malformed."""
        if payload.metadata.get("encoding") != ENCODING:
            return payload  # recorded before encryption: passes through
        key_id = payload.metadata.get(KEY_ID, b"").decode("utf-8", "replace")
        if not key_id or len(payload.data) <= NONCE_BYTES:
            raise ValueError("malformed encrypted payload (no key id or no data)")
        if key_id not in self.keyring.keys:
            raise KeyNotHeld(key_id)
        nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        return Payload.FromString(
            AESGCM(self.keyring.keys[key_id]).decrypt(nonce, sealed, key_id.encode()))

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.encrypt(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Rotation-safe decoding.

        A payload under a key this worker does not hold *yet* raises ``KeyNotHeld``: the
        workflow task fails and Temporal retries it until a worker with the key picks it
        up (so deploy a new key to every worker before any starter encrypts with it). A
        payload that was tampered with or is malformed can never decrypt: it is handed
        on marked (``binary/undecryptable;key=<id>``) and the procedure refuses the
        message with that reason instead of failing every task.
        """
        decoded = []
        for payload in payloads:
            try:
                decoded.append(self.decrypt(payload))
            except KeyNotHeld:
                raise
            except Exception:
                key_id = payload.metadata.get(KEY_ID, b"?")[:MAX_KEY_ID_SHOWN]
                decoded.append(Payload(
                    metadata={"encoding": UNDECRYPTABLE + b";key=" + key_id}, data=b""))
        return decoded
