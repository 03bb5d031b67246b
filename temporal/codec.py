"""Payload encryption (载荷加密): personal data never rests in clear in Temporal's storage.

Every payload (report content, URLs, names, messages, statuses) is encrypted with
AES-256-GCM before it leaves the process; the key id travels in the payload's metadata,
so keys rotate: the newest encrypts, any listed key decrypts. A payload without that
metadata (histories recorded before encryption) passes through unchanged, so every
recorded history still replays. Search attributes are never encoded: they hold no
personal data (codes, unit ids, deadlines, the title).

The keys are the process's (``settings.keys`` reads them, fail closed); this module only
uses the ``Keyring`` it is given. Losing a key loses every payload it encrypted, the audit trail included: archive the
keys with the same care as the archive.
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

from domain.messages import UNDECRYPTABLE_ENCODING

from temporal.names import PRINCIPAL  # sealed inside the encryption: who sealed the payload

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
