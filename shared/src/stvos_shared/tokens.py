"""RS256 tokens: signing (for the issuers) and verification pinned to RS256 with keys from a JWKS."""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from .errors import Unauthorized

ALGORITHM = "RS256"
MAX_TOKEN_LENGTH = 8192  # ours are about 700 characters; anything far larger is not ours
MAX_HEADER_LENGTH = 1024
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "typ", "jti"]
_KINDS = {"access": "an access token", "refresh": "a refresh token"}


def generate_private_key_pem() -> str:
    """A new 2048-bit RSA private key, PEM encoded."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def public_jwk(private_key_pem: str, kid: str) -> dict[str, Any]:
    """The public half of a private key as a JWK with kid, alg and use."""
    private = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    jwk = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    jwk.update({"kid": kid, "alg": ALGORITHM, "use": "sig"})
    return jwk


class TokenSigner:
    """Issues RS256 tokens with kid, iss, aud, sub, typ, iat, exp and jti."""

    def __init__(self, private_key_pem: str, kid: str, issuer: str, audience: str) -> None:
        self._key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
        self.kid, self.issuer, self.audience = kid, issuer, audience

    def issue(self, subject: str, typ: str, ttl_seconds: int, claims: Mapping[str, Any] | None = None,
              *, jti: str | None = None, now: float | None = None) -> str:
        issued = int(now if now is not None else time.time())
        payload = {
            "iss": self.issuer, "aud": self.audience, "sub": str(subject), "typ": typ,
            "iat": issued, "exp": issued + ttl_seconds, "jti": jti or uuid.uuid4().hex,
            **(claims or {}),
        }
        return jwt.encode(payload, self._key, algorithm=ALGORITHM, headers={"kid": self.kid})


def unverified_header(token: str) -> dict[str, Any]:
    """The JOSE header, parsed cheaply only to choose the key; jwt.decode then verifies the whole token.

    (jwt.get_unverified_header parses the entire token, as jwt.decode does again: twice the cost.)
    """
    segment = token.split(".", 1)[0]
    if len(token) > MAX_TOKEN_LENGTH or len(segment) > MAX_HEADER_LENGTH:
        raise Unauthorized("The token is malformed.", code="TOKEN_INVALID")
    try:
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, binascii.Error, RecursionError) as error:
        raise Unauthorized("The token is malformed.", code="TOKEN_INVALID") from error
    if not isinstance(header, dict):
        raise Unauthorized("The token is malformed.", code="TOKEN_INVALID")
    return header


class JwksKeys:
    """Public keys by kid, fetched from a JWKS, cached; refreshed when an unknown kid shows up and
    when the cache is older than `max_age_seconds` (so a retired key stops verifying everywhere)."""

    def __init__(self, fetch: Callable[[], Mapping[str, Any]], min_refresh_seconds: float = 10.0,
                 max_age_seconds: float = 300.0) -> None:
        self._fetch = fetch
        self._min_refresh = min_refresh_seconds
        self._max_age = max_age_seconds
        self._keys: dict[str, Any] = {}
        self._fetched_at = self._loaded_at = float("-inf")
        self._lock = threading.Lock()

    @classmethod
    def static(cls, jwks: Mapping[str, Any]) -> JwksKeys:
        return cls(lambda: jwks)

    def remember(self, kid: str, jwk: Mapping[str, Any]) -> None:
        """Know a key without fetching (the issuer's own signing key)."""
        with self._lock:
            self._keys = {**self._keys, kid: RSAAlgorithm.from_jwk(dict(jwk))}

    def current(self, kid: str, key: Any) -> bool:
        """Whether `key` is still what `kid` names (after the refreshes `get` does): a key the JWKS has
        retired or replaced is not."""
        return self.get(kid) is key

    def get(self, kid: str) -> Any | None:
        key = self._keys.get(kid)
        if key is None or time.monotonic() - self._loaded_at > self._max_age:
            self._refresh()
            key = self._keys.get(kid)
        return key

    def _refresh(self) -> None:
        with self._lock:
            if time.monotonic() - self._fetched_at < self._min_refresh:
                return
            self._fetched_at = time.monotonic()
            try:
                jwks = self._fetch()
            except Exception:  # a JWKS outage must read as an invalid token, never a 500
                return
            keys = {}
            for jwk in jwks.get("keys", []):
                if jwk.get("kty") == "RSA" and jwk.get("alg", ALGORITHM) == ALGORITHM and "kid" in jwk:
                    keys[jwk["kid"]] = RSAAlgorithm.from_jwk(jwk)
            self._keys, self._loaded_at = keys, time.monotonic()


class VerifiedTokens:
    """Tokens already verified, by the SHA-256 of the token: their claims, expiry and key (bounded LRU).

    A hit is served only before the token's `exp` (no leeway: a token is never taken for longer than it
    says) and only while its key is still current; anything else is verified again in full.
    """

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._entries: OrderedDict[bytes, tuple[dict[str, Any], float, str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def digest(token: str) -> bytes:
        return hashlib.sha256(token.encode()).digest()

    def get(self, digest: bytes, now: float) -> tuple[dict[str, Any], str, Any] | None:
        with self._lock:
            entry = self._entries.get(digest)
            if entry is None:
                return None
            if now >= entry[1]:
                del self._entries[digest]
                return None
            self._entries.move_to_end(digest)
        return entry[0], entry[2], entry[3]

    def put(self, digest: bytes, claims: dict[str, Any], kid: str, key: Any) -> None:
        if self._size <= 0 or not isinstance(claims.get("exp"), int | float):
            return
        with self._lock:
            self._entries[digest] = (claims, float(claims["exp"]), kid, key)
            self._entries.move_to_end(digest)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


class TokenVerifier:
    """Verifies RS256 tokens: algorithm pinned, kid known, iss/aud/typ/exp checked.

    A token verified once is remembered (VerifiedTokens) until its expiry, so a client sending the same
    access token on every request pays for the RS256 verification once; `cache_size=0` turns that off.
    """

    def __init__(self, keys: JwksKeys, issuer: str, audience: str, leeway: int = 5, cache_size: int = 4096) -> None:
        self._keys, self.issuer, self.audience, self.leeway = keys, issuer, audience, leeway
        self._verified = VerifiedTokens(cache_size)

    def verify(self, token: str, typ: str = "access") -> dict[str, Any]:
        digest = VerifiedTokens.digest(token)
        hit = self._verified.get(digest, time.time())
        fresh = hit is not None and self._keys.current(hit[1], hit[2])
        claims = hit[0] if fresh else self._verify(token, digest)
        if claims.get("typ") != typ:
            raise Unauthorized(f"This needs {_KINDS.get(typ, typ)}.", code="TOKEN_INVALID")
        return dict(claims)

    def _verify(self, token: str, digest: bytes) -> dict[str, Any]:
        header = unverified_header(token)
        if header.get("alg") != ALGORITHM or not isinstance(header.get("kid"), str):
            raise Unauthorized("The token is not signed as this platform signs tokens.", code="TOKEN_INVALID")
        key = self._keys.get(header["kid"])
        if key is None:
            raise Unauthorized("The token was signed with an unknown key.", code="TOKEN_INVALID")
        try:
            claims = jwt.decode(
                token, key, algorithms=[ALGORITHM], audience=self.audience, issuer=self.issuer,
                leeway=self.leeway, options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as error:
            raise Unauthorized("The token has expired.", code="TOKEN_EXPIRED") from error
        except jwt.PyJWTError as error:
            raise Unauthorized("The token is invalid.", code="TOKEN_INVALID") from error
        self._verified.put(digest, claims, header["kid"], key)
        return claims
