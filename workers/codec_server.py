"""The codec server (解密服务): lets the Web UI and the `temporal` CLI read encrypted payloads.

Temporal's remote-codec protocol: ``POST /encode`` and ``POST /decode`` with a JSON body
``{"payloads": [...]}`` (Payloads in protobuf JSON) answer the same shape. CORS allows
the UI's origin only. When ``YUQING_CODEC_TOKEN`` is set, a request must carry
``Authorization: Bearer <token>`` (the production UI passes the user's access token);
otherwise only the UI's origin, or a local client without an Origin, is served.
"""

import hmac
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads

from workers.codec import EncryptionCodec, create_keys_file, load_keyring


MAX_BODY = 8 * 1024 * 1024


def make_handler(codec: EncryptionCodec, ui_origins: list[str]) -> type[BaseHTTPRequestHandler]:
    token = os.environ.get("YUQING_CODEC_TOKEN", "")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # no payload ever reaches a log
            pass

        def _cors(self) -> None:
            origin = self.headers.get("Origin")
            self.send_header("Access-Control-Allow-Origin",
                             origin if origin in ui_origins else ui_origins[0])
            self.send_header("Vary", "Origin")
            self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers",
                             "Content-Type, X-Namespace, Authorization")
            self.send_header("Access-Control-Allow-Credentials", "true")

        def _allowed(self) -> bool:
            if token:
                return hmac.compare_digest(self.headers.get("Authorization", ""), f"Bearer {token}")
            return self.headers.get("Origin") in (None, *ui_origins)

        def _send(self, code: int, data: bytes, content_type: str) -> None:
            self.send_response(code)
            self._cors()  # on refusals too, so the UI can show why
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _refuse(self, code: int, reason: str) -> None:
            self._send(code, reason.encode(), "text/plain")

        def do_OPTIONS(self) -> None:  # noqa: N802 (http.server's naming)
            self.send_response(204)
            self._cors()
            self.end_headers()

        def do_POST(self) -> None:  # noqa: N802
            path = self.path.split("?", 1)[0].rstrip("/")  # the UI adds ?preserveStorageRefs=…
            if path not in ("/encode", "/decode"):
                self._refuse(404, "no such endpoint")
                return
            if not self._allowed():
                self._refuse(403, "not authorized")
                return
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_BODY:
                self._refuse(413, "body missing or too large")
                return
            try:
                body = json_format.Parse(self.rfile.read(length), Payloads())
                convert = codec.encrypt if path == "/encode" else codec.decrypt
                answer = Payloads(payloads=[convert(p) for p in body.payloads])
            except Exception:  # a malformed body or a payload of an unknown key
                self._refuse(400, "cannot convert these payloads")
                return
            self._send(200, json_format.MessageToJson(answer).encode("utf-8"), "application/json")

    return Handler


def serve_in_background(codec: EncryptionCodec, port: int, ui_origins: list[str],
                        host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """Start the codec server on a daemon thread; ``shutdown()`` stops it."""
    server = ThreadingHTTPServer((host, port), make_handler(codec, ui_origins))
    threading.Thread(target=server.serve_forever, name="yuqing-codec-server", daemon=True).start()
    return server


def start_for_dev(ui_port: int) -> tuple[ThreadingHTTPServer, str]:
    """`yuqing dev`: a key on first run ($YUQING_HOME/keys.json unless YUQING_KEYS is set), a codec
    server on a free local port for the UI; returns the server and its endpoint."""
    if not os.environ.get("YUQING_KEYS"):
        create_keys_file()
    keyring = load_keyring()
    assert keyring is not None
    origins = [f"http://{host}:{ui_port}" for host in ("127.0.0.1", "localhost")]
    server = serve_in_background(EncryptionCodec(keyring), 0, origins)
    return server, f"http://127.0.0.1:{server.server_port}"
