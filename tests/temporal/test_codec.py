"""Payload encryption (issue #13): AES-GCM, key ids, rotation, and histories from before."""

import base64

import pytest
from cryptography.exceptions import InvalidTag
from temporalio.api.common.v1 import Payload

from settings.keys import create_keys_file, load_keyring
from temporal.codec import ENCODING, KEY_ID, EncryptionCodec, Keyring

OLD, NEW = b"o" * 32, b"n" * 32
PERSONAL = "联系人王小明 13800138000".encode()


def payload() -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=PERSONAL)


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


def test_keys_from_the_environment_or_a_private_file(tmp_path, monkeypatch):
    monkeypatch.setenv("YUQING_KEYS", f"k1:{base64.b64encode(OLD).decode()},"
                                      f"k2:{base64.b64encode(NEW).decode()}")
    assert load_keyring() == Keyring({"k1": OLD, "k2": NEW}, "k2")
    monkeypatch.delenv("YUQING_KEYS")
    monkeypatch.delenv("YUQING_KEYS_FILE", raising=False)
    monkeypatch.setenv("YUQING_HOME", str(tmp_path))  # no keys file there yet
    assert load_keyring() is None
    path = create_keys_file()
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(next(iter(load_keyring().keys.values()))) == 32


def _post(port: int, path: str, body: bytes, **headers: str) -> tuple[int, dict, bytes]:
    import urllib.error
    import urllib.request
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, _lower(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, _lower(error.headers), b""


def _lower(headers) -> dict:
    return {name.lower(): value for name, value in headers.items()}


def test_the_codec_server_decodes_for_the_ui_and_no_one_else(monkeypatch):
    """Temporal's /decode protocol (with the UI's query string), CORS for the UI's origin
    only, and a bearer token when one is configured."""
    from google.protobuf import json_format
    from temporalio.api.common.v1 import Payloads

    from workers.codec_server import serve_in_background
    codec = EncryptionCodec(Keyring({"k1": OLD}, "k1"))
    body = json_format.MessageToJson(Payloads(payloads=[codec.encrypt(payload())])).encode()
    ui = "http://127.0.0.1:8233"
    server = serve_in_background(codec, 0, [ui])
    try:
        status, headers, answer = _post(server.server_port, "/decode?preserveStorageRefs=true",
                                        body, Origin=ui)
        assert status == 200 and headers["access-control-allow-origin"] == ui
        decoded = json_format.Parse(answer, Payloads()).payloads[0]
        assert decoded.data == PERSONAL
        assert _post(server.server_port, "/decode", body, Origin="https://evil.example")[0] == 403
    finally:
        server.shutdown()
    monkeypatch.setenv("YUQING_CODEC_TOKEN", "s3cret")
    server = serve_in_background(codec, 0, [ui])
    try:
        assert _post(server.server_port, "/decode", body, Origin=ui)[0] == 403
        assert _post(server.server_port, "/decode", body, Origin=ui,
                     Authorization="Bearer s3cret")[0] == 200
    finally:
        server.shutdown()


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


def test_a_negative_or_huge_body_is_refused_at_once():
    from workers.codec_server import serve_in_background
    server = serve_in_background(EncryptionCodec(Keyring({"k1": OLD}, "k1")), 0, ["http://x"])
    try:
        status, headers, _ = _post(server.server_port, "/decode", b"{}", Origin="http://x",
                                   **{"Content-Length": str(9 * 1024 * 1024)})
        assert status == 413 and "access-control-allow-origin" in headers
        assert _post(server.server_port, "/decode", b"{}", **{"Content-Length": "-1"})[0] == 400
    finally:
        server.shutdown()
