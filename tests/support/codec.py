"""The codec's test material: two keys, a personal payload, and a client of the codec server.

Shared by the codec's tests (tests/temporal/test_codec.py), the key settings'
(tests/settings/test_keys.py) and the codec server's (tests/workers/).
"""

import urllib.error
import urllib.request

from temporalio.api.common.v1 import Payload

OLD, NEW = b"o" * 32, b"n" * 32
PERSONAL = "联系人王小明 13800138000".encode()


def payload() -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=PERSONAL)


def post_to_codec_server(port: int, path: str, body: bytes, **headers: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, lowered(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, lowered(error.headers), b""


def lowered(headers) -> dict:
    return {name.lower(): value for name, value in headers.items()}
