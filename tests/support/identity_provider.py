"""A local test identity provider: an RSA key pair, its JWKS served over HTTP, tokens minted.

Stands in for the deployment's OIDC provider in tests: the codec server fetches the JWKS
as it would the real one's and verifies what ``token()`` signs.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from workers.login import LoginSettings

AUDIENCE = "temporal-ui"
KEY_ID = "test-key-1"


class LocalIdentityProvider:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        body = json.dumps({"keys": [{**jwk, "kid": KEY_ID, "use": "sig", "alg": "RS256"}]})

        class Jwks(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"

    def token(self, email: str, roles: list[str] | None = None, *, issuer: str | None = None,
              key: rsa.RSAPrivateKey | None = None, expires_in: int = 600) -> str:
        now = int(time.time())
        claims = {"iss": issuer or self.issuer, "sub": f"sub-{email}", "email": email,
                  "aud": AUDIENCE, "iat": now, "exp": now + expires_in,
                  "roles": ["yuqing"] if roles is None else roles}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": KEY_ID})

    def login(self, static_token: str = "") -> LoginSettings:
        """The codec server's settings for this provider, as the environment would give them."""
        return LoginSettings(issuer=self.issuer, jwks_url=f"{self.issuer}/jwks",
                             audience=AUDIENCE, static_token=static_token,
                             static_identity="service:backend")

    def close(self) -> None:
        self.server.shutdown()
