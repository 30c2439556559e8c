"""Key-encryption keys (KEKs): what seals the issuers' signing keys at rest, so a database dump alone mints nothing.

A KEK is a Fernet key (`cryptography`: AES-128-CBC with HMAC-SHA256, a versioned token, a fresh IV each time).
The configuration holds a list (`SIGNING_KEY_KEK=new,old`): the first seals, every one opens, as
`MultiFernet` does; rotating the KEK is putting the new one first, re-wrapping the stored keys
(`stvos admin rewrap-signing-keys`), then dropping the old one. A sealed key names its kid, so a sealed value
copied onto another row does not open there.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from .files import private_dir

KEK_FILE = "signing-key.kek"  # the embedded mode's KEK, under var/
PLAINTEXT_PREFIX = "-----BEGIN"  # a key stored before keys were sealed (sealed on first read; see SigningKeys)
HOW_TO_MAKE = ("python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'")


class KekError(ValueError):
    """The key-encryption keys are missing or malformed (a configuration error: the process refuses to start)."""


class SealedKeyError(RuntimeError):
    """A stored signing key does not open with the configured KEKs (another KEK sealed it, or it was altered)."""

    def __init__(self, kid: str) -> None:
        super().__init__(f"signing key {kid} does not open with the configured key-encryption keys "
                         "(SIGNING_KEY_KEK): it was sealed with another KEK, or altered")
        self.kid = kid


def new_kek() -> str:
    return Fernet.generate_key().decode()


def parse_keks(raw: str, name: str = "SIGNING_KEY_KEK") -> tuple[str, ...]:
    """A comma-separated list of Fernet keys, the first one sealing; a KekError saying what is wrong."""
    keks = tuple(part.strip() for part in raw.split(",") if part.strip())
    if not keks:
        raise KekError(f"{name} is not set: the signing keys are stored sealed with it. Make one with "
                       f"{HOW_TO_MAKE} and keep it in a secret store (deploy/README.md).")
    for number, kek in enumerate(keks, start=1):
        try:
            Fernet(kek)
        except (ValueError, TypeError):
            raise KekError(f"{name}: key {number} of {len(keks)} is not a Fernet key "
                           "(32 bytes, url-safe base64: 44 characters)") from None
    return keks


def embedded_kek(var_dir: str) -> tuple[str, ...]:
    """The embedded mode's KEK: var/signing-key.kek, made on first use (its owner's only) and reused after."""
    path = Path(private_dir(var_dir)) / KEK_FILE
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return parse_keks(path.read_text(), str(path))
    with os.fdopen(descriptor, "w") as file:
        file.write(new_kek() + "\n")
    return parse_keks(path.read_text(), str(path))


class KeyWrap:
    """Seals and opens private keys with the configured KEKs (the first seals, all open)."""

    def __init__(self, keks: Sequence[str]) -> None:
        keks = parse_keks(",".join(keks))
        self._fernet = MultiFernet([Fernet(kek) for kek in keks])

    def seal(self, kid: str, pem: str) -> str:
        return self._fernet.encrypt(f"{kid}\n{pem}".encode()).decode()

    def open(self, kid: str, sealed: str) -> str:
        """The PEM of `kid` (a SealedKeyError if no KEK opens it, or it names another kid)."""
        try:
            named, _, pem = self._fernet.decrypt(sealed.encode()).decode().partition("\n")
        except InvalidToken:
            raise SealedKeyError(kid) from None
        if named != kid:
            raise SealedKeyError(kid)
        return pem

    def rewrap(self, kid: str, stored: str) -> str:
        """`stored` sealed with the first KEK (a plaintext PEM of older versions is sealed as it is)."""
        return self.seal(kid, stored if is_plaintext(stored) else self.open(kid, stored))


def is_plaintext(stored: str) -> bool:
    return stored.startswith(PLAINTEXT_PREFIX)
