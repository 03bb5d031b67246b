"""Who is asking (登录验证): the codec server's gate for the Web UI and service clients.

An OIDC access token is verified against the identity provider's JWKS (PyJWT: signature,
expiry, issuer, audience) and must carry the role claim; the principal it proves is its
``email`` (else ``sub``) claim. A service client may instead present the static token
``YUQING_CODEC_TOKEN`` and is then ``YUQING_CODEC_TOKEN_IDENTITY`` (default
``service:codec-client``). Settings (environment):

- ``YUQING_OIDC_ISSUER`` — the IdP's issuer URL (turns OIDC on)
- ``YUQING_OIDC_JWKS_URL`` — its JWKS (default ``<issuer>/.well-known/jwks.json``)
- ``YUQING_OIDC_AUDIENCE`` — the audience the UI's tokens are issued for
- ``YUQING_OIDC_ROLE_CLAIM`` (default ``roles``) and ``YUQING_OIDC_ROLE`` (default ``yuqing``)
"""

import hmac
import os
from dataclasses import dataclass, field

import jwt

ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]


class NotAuthenticated(Exception):
    """The request proves no one (the reason is safe to show)."""


@dataclass
class LoginSettings:
    issuer: str = ""
    jwks_url: str = ""
    audience: str = ""
    role_claim: str = "roles"
    role: str = "yuqing"
    static_token: str = ""
    static_identity: str = "service:codec-client"
    _jwks: jwt.PyJWKClient | None = field(default=None, repr=False)

    @classmethod
    def from_environment(cls) -> "LoginSettings":
        env = os.environ.get
        issuer = env("YUQING_OIDC_ISSUER", "").strip().rstrip("/")
        return cls(issuer=issuer,
                   jwks_url=env("YUQING_OIDC_JWKS_URL", "").strip()
                   or (f"{issuer}/.well-known/jwks.json" if issuer else ""),
                   audience=env("YUQING_OIDC_AUDIENCE", "").strip(),
                   role_claim=env("YUQING_OIDC_ROLE_CLAIM", "roles").strip() or "roles",
                   role=env("YUQING_OIDC_ROLE", "yuqing").strip() or "yuqing",
                   static_token=env("YUQING_CODEC_TOKEN", "").strip(),
                   static_identity=env("YUQING_CODEC_TOKEN_IDENTITY", "").strip()
                   or "service:codec-client")

    @property
    def required(self) -> bool:
        """Whether a request must prove who it is (else: development, origin check only)."""
        return bool(self.issuer or self.static_token)

    def principal(self, authorization: str) -> str:
        """The identity the ``Authorization`` header proves; raises NotAuthenticated."""
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("缺少登录凭据 (no bearer token)")
        token = token.strip()
        if self.static_token and hmac.compare_digest(token, self.static_token):
            return self.static_identity
        if not self.issuer:
            raise NotAuthenticated("凭据无效 (invalid token)")
        return self._verified(token)

    def _verified(self, token: str) -> str:
        if self._jwks is None:
            self._jwks = jwt.PyJWKClient(self.jwks_url, cache_keys=True, lifespan=300)
        try:
            key = self._jwks.get_signing_key_from_jwt(token).key
            claims = jwt.decode(token, key, algorithms=ALGORITHMS, issuer=self.issuer,
                                audience=self.audience or None,
                                options={"require": ["exp", "iss", "sub"],
                                         "verify_aud": bool(self.audience)})
        except jwt.PyJWTError as error:
            raise NotAuthenticated(f"登录凭据未通过验证 (token rejected: {error})") from None
        roles = claims.get(self.role_claim, [])
        roles = roles.split() if isinstance(roles, str) else roles
        if not isinstance(roles, list) or self.role not in roles:
            raise NotAuthenticated(f"账号没有 {self.role} 角色 (the login lacks the role)")
        identity = claims.get("email") or claims["sub"]
        return str(identity)[:200]
