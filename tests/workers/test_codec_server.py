"""The codec server (workers/codec_server.py): decodes for the web UI and no one else; the
codec itself is tested in tests/temporal/test_codec.py."""

from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads

from temporal.codec import EncryptionCodec, Keyring
from tests.support.codec import OLD, PERSONAL, payload, post_to_codec_server
from workers.codec_server import serve_in_background


def test_the_codec_server_decodes_for_the_ui_and_no_one_else(monkeypatch):
    """Temporal's /decode protocol (with the UI's query string), CORS for the UI's origin
    only, and a bearer token when one is configured."""
    codec = EncryptionCodec(Keyring({"k1": OLD}, "k1"))
    body = json_format.MessageToJson(Payloads(payloads=[codec.encrypt(payload())])).encode()
    ui = "http://127.0.0.1:8233"
    server = serve_in_background(codec, 0, [ui])
    try:
        status, headers, answer = post_to_codec_server(server.server_port, "/decode?preserveStorageRefs=true",
                                        body, Origin=ui)
        assert status == 200 and headers["access-control-allow-origin"] == ui
        decoded = json_format.Parse(answer, Payloads()).payloads[0]
        assert decoded.data == PERSONAL
        assert post_to_codec_server(server.server_port, "/decode", body, Origin="https://evil.example")[0] == 403
    finally:
        server.shutdown()
    monkeypatch.setenv("YUQING_CODEC_TOKEN", "s3cret")
    server = serve_in_background(codec, 0, [ui])
    try:
        assert post_to_codec_server(server.server_port, "/decode", body, Origin=ui)[0] == 403
        assert post_to_codec_server(server.server_port, "/decode", body, Origin=ui,
                     Authorization="Bearer s3cret")[0] == 200
    finally:
        server.shutdown()


def test_a_negative_or_huge_body_is_refused_at_once():
    server = serve_in_background(EncryptionCodec(Keyring({"k1": OLD}, "k1")), 0, ["http://x"])
    try:
        status, headers, _ = post_to_codec_server(server.server_port, "/decode", b"{}", Origin="http://x",
                                   **{"Content-Length": str(9 * 1024 * 1024)})
        assert status == 413 and "access-control-allow-origin" in headers
        assert post_to_codec_server(server.server_port, "/decode", b"{}", **{"Content-Length": "-1"})[0] == 400
    finally:
        server.shutdown()
