"""The JWT verifier accepts only RS256 tokens of ours, unexpired, for the right audience and type."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from stvos_shared.errors import Unauthorized
from stvos_shared.tokens import JwksKeys, TokenSigner, TokenVerifier, generate_private_key_pem, public_jwk

ISSUER, AUDIENCE = "stvos-auth", "stvos-api"


@pytest.fixture(scope="module")
def key_pem() -> str:
    return generate_private_key_pem()


@pytest.fixture(scope="module")
def signer(key_pem) -> TokenSigner:
    return TokenSigner(key_pem, "k1", ISSUER, AUDIENCE)


@pytest.fixture(scope="module")
def verifier(key_pem) -> TokenVerifier:
    return TokenVerifier(JwksKeys.static({"keys": [public_jwk(key_pem, "k1")]}), ISSUER, AUDIENCE)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(**overrides) -> dict:
    now = int(time.time())
    return {"iss": ISSUER, "aud": AUDIENCE, "sub": "7", "typ": "access", "iat": now, "exp": now + 60,
            "jti": "j1", "cid": 1, "role": "user", **overrides}


def rejected_code(verifier: TokenVerifier, token: str, typ: str = "access") -> str:
    with pytest.raises(Unauthorized) as caught:
        verifier.verify(token, typ)
    return caught.value.code


def test_a_token_we_signed_is_accepted(signer, verifier):
    token = signer.issue("7", "access", 60, {"cid": 1, "role": "user", "tid": None})
    assert verifier.verify(token)["sub"] == "7"


def test_alg_none_is_rejected(verifier):
    header = b64(json.dumps({"alg": "none", "typ": "JWT", "kid": "k1"}).encode())
    token = f"{header}.{b64(json.dumps(claims()).encode())}."
    assert rejected_code(verifier, token) == "TOKEN_INVALID"


def test_hs256_signed_with_the_public_key_is_rejected(key_pem, verifier):
    public_pem = serialization.load_pem_private_key(key_pem.encode(), None).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "k1"}).encode())
    body = b64(json.dumps(claims()).encode())
    signature = b64(hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest())
    assert rejected_code(verifier, f"{header}.{body}.{signature}") == "TOKEN_INVALID"


def test_a_bad_signature_is_rejected(signer, verifier):
    token = signer.issue("7", "access", 60, {"cid": 1, "role": "user"})
    head, _, signature = token.split(".")
    tampered_body = b64(json.dumps(claims(role="trainer")).encode())
    assert rejected_code(verifier, f"{head}.{tampered_body}.{signature}") == "TOKEN_INVALID"


def test_a_token_signed_by_another_key_with_our_kid_is_rejected(verifier):
    other = TokenSigner(generate_private_key_pem(), "k1", ISSUER, AUDIENCE)
    assert rejected_code(verifier, other.issue("7", "access", 60)) == "TOKEN_INVALID"


def test_an_expired_token_is_rejected_as_expired(signer, verifier):
    token = signer.issue("7", "access", 60, now=time.time() - 3600)
    assert rejected_code(verifier, token) == "TOKEN_EXPIRED"


def test_a_wrong_audience_is_rejected(key_pem, verifier):
    token = TokenSigner(key_pem, "k1", ISSUER, "stvos-partner").issue("7", "access", 60)
    assert rejected_code(verifier, token) == "TOKEN_INVALID"


def test_a_wrong_issuer_is_rejected(key_pem, verifier):
    token = TokenSigner(key_pem, "k1", "stvos-partner", AUDIENCE).issue("7", "access", 60)
    assert rejected_code(verifier, token) == "TOKEN_INVALID"


def test_a_refresh_token_used_as_an_access_token_is_rejected(signer, verifier):
    token = signer.issue("7", "refresh", 60)
    assert rejected_code(verifier, token, "access") == "TOKEN_INVALID"
    assert verifier.verify(token, "refresh")["typ"] == "refresh"


def test_a_token_without_required_claims_is_rejected(key_pem, verifier):
    token = jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "sub": "7", "typ": "access",
                        "exp": int(time.time()) + 60}, serialization.load_pem_private_key(key_pem.encode(), None),
                       algorithm="RS256", headers={"kid": "k1"})
    assert rejected_code(verifier, token) == "TOKEN_INVALID"


def test_garbage_is_rejected(verifier):
    assert rejected_code(verifier, "not-a-token") == "TOKEN_INVALID"


def test_an_unknown_kid_refreshes_the_key_set_once(key_pem):
    rotated = generate_private_key_pem()
    fetches = []

    def fetch():
        fetches.append(1)
        jwks = [public_jwk(key_pem, "k1")] + ([public_jwk(rotated, "k2")] if len(fetches) > 1 else [])
        return {"keys": jwks}

    keys = JwksKeys(fetch, min_refresh_seconds=0)
    verifier = TokenVerifier(keys, ISSUER, AUDIENCE)
    verifier.verify(TokenSigner(key_pem, "k1", ISSUER, AUDIENCE).issue("7", "access", 60))
    verifier.verify(TokenSigner(key_pem, "k1", ISSUER, AUDIENCE).issue("7", "access", 60))
    assert len(fetches) == 1
    verifier.verify(TokenSigner(rotated, "k2", ISSUER, AUDIENCE).issue("7", "access", 60))
    assert len(fetches) == 2


def test_unknown_kids_do_not_hammer_the_jwks_endpoint(key_pem):
    fetches = []
    keys = JwksKeys(lambda: fetches.append(1) or {"keys": []}, min_refresh_seconds=60)
    verifier = TokenVerifier(keys, ISSUER, AUDIENCE)
    for _ in range(5):
        rejected_code(verifier, TokenSigner(key_pem, "nope", ISSUER, AUDIENCE).issue("7", "access", 60))
    assert len(fetches) == 1


def test_a_jwks_outage_reads_as_an_invalid_token_not_a_crash(key_pem):
    def down():
        raise ConnectionError("auth is down")

    verifier = TokenVerifier(JwksKeys(down), ISSUER, AUDIENCE)
    assert rejected_code(verifier, TokenSigner(key_pem, "k1", ISSUER, AUDIENCE).issue("7", "access", 60)) \
        == "TOKEN_INVALID"


def test_a_retired_key_stops_verifying_once_the_cache_is_older_than_its_max_age(key_pem, monkeypatch):
    published = {"keys": [public_jwk(key_pem, "k1")]}
    keys = JwksKeys(lambda: published, min_refresh_seconds=0, max_age_seconds=60)
    verifier = TokenVerifier(keys, ISSUER, AUDIENCE)
    token = TokenSigner(key_pem, "k1", ISSUER, AUDIENCE).issue("7", "access", 3600)
    verifier.verify(token)
    published["keys"] = []
    verifier.verify(token)  # still cached
    clock = time.monotonic() + 61
    monkeypatch.setattr(time, "monotonic", lambda: clock)
    assert rejected_code(verifier, token) == "TOKEN_INVALID"


@pytest.mark.parametrize("header", ["[" * 1000 + "]" * 1000, json.dumps({"alg": "RS256", "kid": "k" * 2000})])
def test_a_pathological_header_is_rejected_not_a_crash(verifier, header):
    token = f"{b64(header.encode())}.{b64(json.dumps(claims()).encode())}.sig"
    assert rejected_code(verifier, token) == "TOKEN_INVALID"


def test_an_oversized_token_is_rejected(verifier):
    assert rejected_code(verifier, "a" * 9000) == "TOKEN_INVALID"


@pytest.fixture
def decodes(monkeypatch) -> list[str]:
    """Every full verification (jwt.decode) the verifier runs."""
    calls: list[str] = []
    real = jwt.decode

    def counted(token, *args, **kwargs):
        calls.append(token)
        return real(token, *args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counted)
    return calls


def test_a_verified_token_is_remembered_and_its_claims_are_a_copy(signer, key_pem, decodes):
    verifier = TokenVerifier(JwksKeys.static({"keys": [public_jwk(key_pem, "k1")]}), ISSUER, AUDIENCE)
    token = signer.issue("7", "access", 60, {"cid": 1})
    first = verifier.verify(token)
    first["cid"] = 99
    assert verifier.verify(token)["cid"] == 1
    assert len(decodes) == 1
    assert rejected_code(verifier, token, "refresh") == "TOKEN_INVALID"  # the type is checked on every hit


def test_a_remembered_token_is_never_taken_past_its_expiry(signer, key_pem, decodes, monkeypatch):
    verifier = TokenVerifier(JwksKeys.static({"keys": [public_jwk(key_pem, "k1")]}), ISSUER, AUDIENCE, leeway=0)
    now = time.time()
    token = signer.issue("7", "access", 30, now=now)
    verifier.verify(token)
    verifier.verify(token)
    assert len(decodes) == 1
    monkeypatch.setattr(time, "time", lambda: int(now) + 30)  # the cache's clock at exp: it does not answer
    verifier.verify(token)  # (jwt's own clock, still before exp, decides)
    assert len(decodes) == 2


def test_the_remembered_tokens_are_bounded(signer, key_pem, decodes):
    verifier = TokenVerifier(JwksKeys.static({"keys": [public_jwk(key_pem, "k1")]}), ISSUER, AUDIENCE, cache_size=2)
    tokens = [signer.issue(str(n), "access", 60) for n in range(3)]
    for token in tokens:
        verifier.verify(token)
    verifier.verify(tokens[2])
    verifier.verify(tokens[0])  # the least recently used one was forgotten
    assert decodes == [*tokens, tokens[0]]


def test_a_remembered_token_of_a_replaced_key_is_verified_again(key_pem):
    other = generate_private_key_pem()
    published = {"keys": [public_jwk(key_pem, "k1")]}
    keys = JwksKeys(lambda: published, min_refresh_seconds=0, max_age_seconds=0)  # refetched on every use
    verifier = TokenVerifier(keys, ISSUER, AUDIENCE)
    token = TokenSigner(key_pem, "k1", ISSUER, AUDIENCE).issue("7", "access", 3600)
    verifier.verify(token)
    published["keys"] = [public_jwk(other, "k1")]  # the same kid now names another key
    assert rejected_code(verifier, token) == "TOKEN_INVALID"
