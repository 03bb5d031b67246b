"""Payload encryption (载荷加密): personal data never rests in clear in Temporal's storage.

Every payload (report content, URLs, names, messages, statuses) is encrypted with
AES-256-GCM before it leaves the process; the key id travels in the payload's metadata,
so keys rotate: the newest encrypts, any listed key decrypts. A payload without that
metadata (histories recorded before encryption) passes through unchanged, so every
recorded history still replays. Search attributes are never encoded: they hold no
personal data (codes, unit ids, deadlines, the title).

Keys come from ``YUQING_KEYS`` (``id:base64key,id:base64key``, newest last) or the JSON
file ``YUQING_KEYS_FILE`` (default ``$YUQING_HOME/keys.json``: ``{"current": id, "keys":
{id: b64}}``). Without keys every command stops (fail closed); payloads stay in clear only
with the development switch ``YUQING_PLAINTEXT=1``.
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
from workers.home import ConfigError, home_path

ENCODING = b"binary/encrypted"
UNDECRYPTABLE = UNDECRYPTABLE_ENCODING.encode()
KEY_ID = "encryption-key-id"
# Inside the encryption: who sealed the payload (a verified login, or a service's identity).
PRINCIPAL = "yuqing-principal"
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


class KeySettingError(ConfigError):
    """No usable key, or a key setting that cannot be read: one line, where and how to fix."""


PLAINTEXT_SWITCH = "YUQING_PLAINTEXT"  # development only: payloads stay in clear


def keys_file() -> Path:
    return home_path("keys.json", "YUQING_KEYS_FILE")


def _decoded_key(key_id: str, value: str, where: str) -> bytes:
    try:
        return base64.b64decode(value.strip(), validate=True)
    except (ValueError, TypeError):
        raise KeySettingError(f"{where}：密钥 {key_id!r} 不是有效的 base64 "
                              "(the key is not valid base64)") from None


def _keyring(keys: dict[str, bytes], current: str, where: str) -> Keyring:
    try:
        return Keyring(keys, current)
    except ValueError as error:
        raise KeySettingError(f"{where}：{error}") from None


def _keys_from_environment(listed: str) -> Keyring:
    pairs = [item.split(":", 1) for item in listed.split(",") if item.strip()]
    if not pairs or any(len(pair) != 2 or not pair[0].strip() for pair in pairs):
        raise KeySettingError("YUQING_KEYS 格式错误：须为 id:base64key,…（最新的在最后）"
                              "(YUQING_KEYS must be id:base64key pairs, newest last)")
    keys = {key_id.strip(): _decoded_key(key_id.strip(), value, "YUQING_KEYS")
            for key_id, value in pairs}
    return _keyring(keys, pairs[-1][0].strip(), "YUQING_KEYS")


def _keys_from_file(path: Path) -> Keyring:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        keys, current = data["keys"], data["current"]
        if not isinstance(keys, dict) or not isinstance(current, str):
            raise TypeError
    except IsADirectoryError:
        raise KeySettingError(f"密钥文件 {path} 是目录，不是文件 (is a directory, not a keys "
                              "file)") from None
    except OSError as error:
        raise KeySettingError(f"无法读取密钥文件 {path} (cannot read the keys file): "
                              f"{error.strerror}") from None
    except (ValueError, KeyError, TypeError):
        raise KeySettingError(f"密钥文件 {path} 格式错误：须为 "
                              '{"current": id, "keys": {id: base64key}} (malformed keys file)'
                              ) from None
    where = str(path)
    return _keyring({k: _decoded_key(k, str(v), where) for k, v in keys.items()}, current, where)


def load_keyring() -> Keyring | None:
    """The configured keys; None when none are configured. A setting that names keys
    that cannot be read (a missing file, a directory, a malformed list) is an error."""
    listed = os.environ.get("YUQING_KEYS", "").strip()
    if listed:
        return _keys_from_environment(listed)
    path = keys_file()
    if not path.exists() and not os.environ.get("YUQING_KEYS_FILE", "").strip():
        return None  # the default place, still empty
    return _keys_from_file(path)


def plaintext_allowed() -> bool:
    return os.environ.get(PLAINTEXT_SWITCH, "").strip().lower() in ("1", "true", "yes")


def require_keyring() -> Keyring | None:
    """The keys every command that reads or writes payloads needs; fail closed.

    None only with the explicit development switch ``YUQING_PLAINTEXT=1``.
    """
    keyring = load_keyring()
    if keyring is None and not plaintext_allowed():
        raise KeySettingError(
            f"没有加密密钥：已查找 YUQING_KEYS 与 {keys_file()}；运行 `yuqing keys create` "
            "创建（或 `yuqing dev` 首次运行时自动创建），或设置 YUQING_KEYS / YUQING_HOME "
            f"(no encryption key: looked in YUQING_KEYS and {keys_file()}; create one with "
            "`yuqing keys create`)")
    return keyring


def create_keys_file(path: Path | None = None) -> Path:
    """A first key (mode 0600); an existing file is kept."""
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


def service_identity() -> str | None:
    """The identity a backend with keys seals into what it sends (``YUQING_IDENTITY``)."""
    return os.environ.get("YUQING_IDENTITY", "").strip()[:200] or None


class EncryptionCodec(PayloadCodec):
    def __init__(self, keyring: Keyring, identity: str | None = None) -> None:
        self.keyring = keyring
        self.identity = identity
        # one cipher per key, built once: every payload of every activation passes here
        self.ciphers = {key_id: AESGCM(key) for key_id, key in keyring.keys.items()}

    def encrypt(self, payload: Payload, principal: str | None = None) -> Payload:
        """Sealed with ``principal`` (else this codec's identity) inside the encryption;
        a principal the payload already names is never kept: only the sealer's counts."""
        inner = Payload()
        inner.CopyFrom(payload)
        if PRINCIPAL in inner.metadata:
            del inner.metadata[PRINCIPAL]
        if principal or self.identity:
            inner.metadata[PRINCIPAL] = (principal or self.identity or "").encode("utf-8")
        nonce = secrets.token_bytes(NONCE_BYTES)
        key_id = self.keyring.current
        sealed = self.ciphers[key_id].encrypt(nonce, inner.SerializeToString(), key_id.encode())
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
        return Payload.FromString(self.ciphers[key_id].decrypt(nonce, sealed, key_id.encode()))

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
