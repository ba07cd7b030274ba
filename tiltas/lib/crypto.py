"""Authenticated encryption of identifying fields and keyed blind indexes (no Django).

Ciphertexts are AES-256-GCM with a fresh 96-bit random nonce each time, bound by associated data to
the record and the field they belong to, so a ciphertext copied to another record or field fails
to decrypt instead of returning the wrong person's data (CR-02). Each ciphertext names the key that
made it, so keys can be rotated and records re-encrypted in the background (CR-04).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

CIPHERTEXT_PREFIX = "v1"
NONCE_BYTES = 12
KEY_BYTES = 32


class DecryptionError(Exception):
    """A ciphertext failed its integrity check or names a key the key ring does not hold."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii"))


@dataclass(frozen=True)
class Keyring:
    """Data keys by id, the id of the key new ciphertexts use, and the blind-index key."""

    active_key_id: str
    data_keys: dict[str, bytes]
    index_key: bytes

    @classmethod
    def generate(cls) -> Keyring:
        return cls(
            active_key_id="k1",
            data_keys={"k1": AESGCM.generate_key(bit_length=256)},
            index_key=os.urandom(KEY_BYTES),
        )

    @classmethod
    def load(cls, path: Path) -> Keyring:
        raw = json.loads(path.read_text(encoding="utf-8"))
        keys = {key_id: _unb64(value) for key_id, value in raw["data_keys"].items()}
        if raw["active_key_id"] not in keys:
            raise ValueError(f"{path}: active key {raw['active_key_id']!r} is not in data_keys")
        return cls(raw["active_key_id"], keys, _unb64(raw["index_key"]))

    @classmethod
    def load_or_create(cls, path: Path) -> Keyring:
        if path.exists():
            return cls.load(path)
        keyring = cls.generate()
        try:
            keyring.save(path, exclusive=True)
        except FileExistsError:
            # Another process or thread created it first: use theirs.
            return cls.load(path)
        return keyring

    def save(self, path: Path, *, exclusive: bool = False) -> None:
        """Write the key ring readable by its owner only, replacing the file atomically."""
        payload = json.dumps(
            {
                "active_key_id": self.active_key_id,
                "data_keys": {key_id: _b64(key) for key_id, key in self.data_keys.items()},
                "index_key": _b64(self.index_key),
            },
            indent=2,
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        try:
            if exclusive:
                # A hard link appears complete or not at all, and fails if the file exists.
                os.link(tmp, path)
            else:
                os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    def with_new_data_key(self) -> Keyring:
        """A key ring whose new active data key encrypts from now on; old keys still decrypt."""
        number = 1 + max(int(key_id.lstrip("k")) for key_id in self.data_keys)
        key_id = f"k{number}"
        keys = dict(self.data_keys)
        keys[key_id] = AESGCM.generate_key(bit_length=256)
        return Keyring(key_id, keys, self.index_key)

    def without_keys_except(self, keep: set[str]) -> Keyring:
        keys = {key_id: key for key_id, key in self.data_keys.items() if key_id in keep}
        return Keyring(self.active_key_id, keys, self.index_key)

    def with_new_index_key(self) -> Keyring:
        return Keyring(self.active_key_id, dict(self.data_keys), os.urandom(KEY_BYTES))

    def encrypt(self, plaintext: bytes, associated_data: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        key = self.data_keys[self.active_key_id]
        sealed = AESGCM(key).encrypt(nonce, plaintext, associated_data.encode("utf-8"))
        return f"{CIPHERTEXT_PREFIX}:{self.active_key_id}:{_b64(nonce + sealed)}"

    def decrypt(self, ciphertext: str, associated_data: str) -> bytes:
        try:
            prefix, key_id, body = ciphertext.split(":", 2)
        except ValueError as exc:
            raise DecryptionError("malformed ciphertext") from exc
        if prefix != CIPHERTEXT_PREFIX or key_id not in self.data_keys:
            raise DecryptionError(f"unknown ciphertext version or key {key_id!r}")
        try:
            raw = _unb64(body)
            return AESGCM(self.data_keys[key_id]).decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], associated_data.encode("utf-8")
            )
        except (InvalidTag, ValueError) as exc:
            raise DecryptionError("ciphertext failed its integrity check") from exc

    @staticmethod
    def key_id_of(ciphertext: str) -> str:
        return ciphertext.split(":", 2)[1]

    def blind_index(self, kind: str, normalised_value: str) -> str:
        """Keyed hash for exact look-ups: equal inputs match, nothing else can be learnt."""
        message = f"{kind}\x1f{normalised_value}".encode()
        return hmac.new(self.index_key, message, hashlib.sha256).hexdigest()
