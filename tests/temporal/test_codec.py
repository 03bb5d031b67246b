"""Payload encryption (issue #13): AES-GCM, key ids, rotation, and histories from before."""

import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from temporalio.api.common.v1 import Payload

from temporal.codec import ENCODING, KEY_ID, EncryptionCodec, Keyring
from tests.support.codec import NEW, OLD, PERSONAL, payload


def test_encrypted_payloads_hide_their_content_and_name_their_key():
    sealed = EncryptionCodec(Keyring({"k1": OLD}, "k1")).encrypt(payload())
    assert sealed.metadata["encoding"] == ENCODING and sealed.metadata[KEY_ID] == b"k1"
    assert PERSONAL not in sealed.SerializeToString()


def test_rotation_encrypts_with_the_newest_and_decrypts_with_any_listed():
    old = EncryptionCodec(Keyring({"k1": OLD}, "k1")).encrypt(payload())
    rotated = EncryptionCodec(Keyring({"k1": OLD, "k2": NEW}, "k2"))
    assert rotated.decrypt(old) == payload()
    assert rotated.encrypt(payload()).metadata[KEY_ID] == b"k2"
    with pytest.raises(ValueError, match="k1"):
        EncryptionCodec(Keyring({"k2": NEW}, "k2")).decrypt(old)  # a lost key loses the data


def test_a_tampered_payload_is_refused_and_an_old_one_passes_through():
    codec = EncryptionCodec(Keyring({"k1": OLD}, "k1"))
    sealed = codec.encrypt(payload())
    sealed.data = sealed.data[:-1] + bytes([sealed.data[-1] ^ 1])
    with pytest.raises(InvalidTag):
        codec.decrypt(sealed)
    assert codec.decrypt(payload()) == payload()  # recorded before encryption


async def test_a_tampered_or_malformed_payload_becomes_a_refusal_naming_its_key():
    """It can never decrypt: the codec hands it on marked, the converter turns it into an
    UndecodablePayload, and the procedure refuses it with a reason naming the key."""
    from domain.messages import UndecodablePayload
    from domain.engine import registry
    from domain.engine.step import Refusal
    from temporal.data_converter import TolerantPayloadConverter

    codec = EncryptionCodec(Keyring({"k1": OLD}, "k1"))
    tampered = codec.encrypt(payload())
    tampered.data = tampered.data[:-1] + bytes([tampered.data[-1] ^ 1])
    truncated = Payload(metadata={"encoding": ENCODING, KEY_ID: b"k1"}, data=b"short")
    for broken in (tampered, truncated):
        [marked] = await codec.decode([broken])
        [value] = TolerantPayloadConverter().from_payloads([marked])
        assert isinstance(value, UndecodablePayload)
        with pytest.raises(Refusal, match="无法解密（密钥 k1）.*篡改"):
            registry.parse("acknowledge", (value,))


async def test_a_payload_under_a_key_not_held_yet_fails_the_task_naming_the_key():
    """Key rotation in the wrong order: the workflow task fails (and is retried until a
    worker holding the key takes it), so no start or message is refused for it."""
    from temporal.codec import KeyNotHeld

    newer = EncryptionCodec(Keyring({"k1": OLD, "k2": NEW}, "k2")).encrypt(payload())
    with pytest.raises(KeyNotHeld, match="'k2'.*every worker"):
        await EncryptionCodec(Keyring({"k1": OLD}, "k1")).decode([newer])
    assert await EncryptionCodec(Keyring({"k1": OLD, "k2": NEW}, "k1")).decode([newer]) == [
        payload()]


def test_the_codec_loads_none_of_the_procedure():
    """The codec server imports the codec: it needs one string of the messages', never the
    engine's registry or the paragraphs."""
    code = ("import sys, temporal.codec; print(sorted(m for m in sys.modules"
            " if m.startswith(('domain.engine', 'domain.procedure'))))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
