"""The codec server (解密服务): the Web UI's gate to encrypted payloads, on Starlette + Uvicorn.

Temporal's remote-codec protocol: ``POST /encode`` and ``POST /decode`` with a JSON body
``{"payloads": [...]}`` (Payloads in protobuf JSON) answer the same shape. CORS allows
the UI's origins only. With a login configured (``workers.login``: OIDC via the IdP's
JWKS, or the static token of service clients) every request must prove who sends it,
and ``/encode`` seals that principal inside the encrypted payload: the UI's signals and
updates then carry the identity the login proved, which the workflow checks against the
roster. Without one (``yuqing dev``) only the UI's origin, or a local client, is served
and nothing is sealed.
"""

import os
import socket
import threading
import time

import uvicorn
from google.protobuf import json_format
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from temporalio.api.common.v1 import Payloads

from settings.keys import create_keys_file, load_keyring
from temporal.codec import EncryptionCodec
from workers.login import LoginSettings, NotAuthenticated

MAX_BODY = 8 * 1024 * 1024


def build_app(codec: EncryptionCodec, ui_origins: list[str],
              login: LoginSettings | None = None) -> Starlette:
    login = login or LoginSettings.from_environment()

    async def principal(request: Request) -> str | None:
        if not login.required:
            if request.headers.get("origin") not in (None, *ui_origins):
                raise NotAuthenticated("来源不被允许 (origin not allowed)")
            return None
        return await run_in_threadpool(login.principal, request.headers.get("authorization", ""))

    async def convert(request: Request) -> Response:
        try:
            sender = await principal(request)
        except NotAuthenticated as refusal:
            return PlainTextResponse(str(refusal), status_code=403)
        length = request.headers.get("content-length", "")
        if not length.isdigit() or int(length) > MAX_BODY:
            return PlainTextResponse("body missing or too large", status_code=413)
        try:
            body = json_format.Parse(await request.body(), Payloads())
            if request.url.path.rstrip("/").endswith("/encode"):
                answer = [codec.encrypt(p, principal=sender) for p in body.payloads]
            else:
                answer = [codec.decrypt(p) for p in body.payloads]
        except Exception:  # a malformed body or a payload of an unknown key
            return PlainTextResponse("cannot convert these payloads", status_code=400)
        return Response(json_format.MessageToJson(Payloads(payloads=answer)),
                        media_type="application/json")

    return Starlette(
        routes=[Route(path, convert, methods=["POST"]) for path in ("/encode", "/decode")],
        middleware=[Middleware(CORSMiddleware, allow_origins=ui_origins, allow_credentials=True,
                               allow_methods=["POST", "OPTIONS"],
                               allow_headers=["Content-Type", "X-Namespace", "Authorization"])])


class BackgroundServer:
    """Uvicorn on a daemon thread; ``shutdown()`` stops it."""

    def __init__(self, app: Starlette, host: str, port: int) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind((host, port))
        self.server_port = self.socket.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]},
                                       name="yuqing-codec-server", daemon=True)
        self.thread.start()
        for _ in range(200):  # serving when this returns
            if self.server.started or not self.thread.is_alive():
                break
            time.sleep(0.025)

    def shutdown(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


def serve_in_background(codec: EncryptionCodec, port: int, ui_origins: list[str],
                        host: str = "127.0.0.1",
                        login: LoginSettings | None = None) -> BackgroundServer:
    return BackgroundServer(build_app(codec, ui_origins, login), host, port)


def start_for_dev(ui_port: int) -> tuple[BackgroundServer, str]:
    """`yuqing dev`: a key on first run ($YUQING_HOME/keys.json unless YUQING_KEYS is set), a codec
    server on a free local port for the UI; returns the server and its endpoint."""
    if not os.environ.get("YUQING_KEYS"):
        create_keys_file()
    keyring = load_keyring()
    assert keyring is not None
    origins = [f"http://{host}:{ui_port}" for host in ("127.0.0.1", "localhost")]
    server = serve_in_background(EncryptionCodec(keyring), 0, origins)
    return server, f"http://127.0.0.1:{server.server_port}"
