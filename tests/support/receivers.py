"""Real servers on this machine standing in for the world's channels, for tests and demos.

``HttpReceiver``: one HTTP server for the robots (钉钉, 企业微信), the SMS gateway and
webhooks, answering per path as told (ok, slow, error, robot error). It keeps every
request, and counts deliveries the way a gateway that honours ``Idempotency-Key`` would.
``MailReceiver``: aiosmtpd with STARTTLS and a login, keeping every message.
"""

import datetime
import ipaddress
import json
import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from workers.dev_server import free_ports


@dataclass
class Received:
    path: str
    query: dict
    headers: dict
    body: dict


@dataclass
class HttpReceiver:
    """``behaviour[path]``: "ok" (default), "slow:<seconds>", "error:<status>", "robot-error"."""

    behaviour: dict[str, str] = field(default_factory=dict)
    requests: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
                length = int(self.headers.get("Content-Length", 0))
                url = urlsplit(self.path)
                received = Received(url.path, parse_qs(url.query), dict(self.headers),
                                    json.loads(self.rfile.read(length) or b"{}"))
                receiver.requests.append(received)  # taken, as a robot takes it, before answering
                how = receiver.behaviour.get(url.path, "ok")
                if how.startswith("slow:"):
                    time.sleep(float(how.split(":")[1]))
                status, answer = 200, {"errcode": 0, "errmsg": "ok"}
                if how.startswith("error:"):
                    status, answer = int(how.split(":")[1]), {"error": "unavailable"}
                elif how == "robot-error":
                    answer = {"errcode": 310000, "errmsg": "sign not match"}
                data = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the caller gave up (timed out) or was killed

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def at(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]

    def delivered(self, path: str) -> Counter:
        """Per notice: how many a receiver honouring ``Idempotency-Key`` would have kept."""
        counts: Counter = Counter()
        for r in self.at(path):
            key = r.headers.get("Idempotency-Key") or r.body.get("key") or id(r)
            counts[key] = 1
        return counts

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Keep:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        from email import message_from_bytes, policy
        self.messages.append((envelope.rcpt_tos,
                              message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 / localhost and its key (the mail client trusts it as CA)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=7))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class MailReceiver:
    """SMTP on 127.0.0.1 that requires STARTTLS and a login (``user`` / ``password``)."""

    def __init__(self, folder: Path, user: str = "yuqing", password: str = "s3cret") -> None:
        import ssl
        self.cert, key = self_signed(folder)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, key)
        self.keep = _Keep()

        def login(server, session, envelope, mechanism, auth_data) -> AuthResult:
            ok = (auth_data.login, auth_data.password) == (user.encode(), password.encode())
            return AuthResult(success=ok, handled=False)  # a failure answers 535

        self.port = free_ports(1)[0]
        self.controller = Controller(self.keep, hostname="127.0.0.1", port=self.port,
                                     tls_context=context, require_starttls=True,
                                     authenticator=login, auth_require_tls=True)
        # aiosmtpd logs every command, and a warning about its own attribute on each login
        logging.getLogger("mail.log").setLevel(logging.ERROR)
        self.controller.start()

    @property
    def messages(self) -> list:
        return self.keep.messages

    def message_ids(self) -> Counter:
        return Counter(m["Message-ID"] for _, m in self.messages)

    def close(self) -> None:
        self.controller.stop()
