"""The passphrase of a kecamatan's segel elektronik, kept encrypted: the database holds only a Fernet token, the
key lives in a file of its own under APOK_DATA_DIR (0600), so a database copy alone never reveals it. Nothing here
logs a passphrase."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

KEY_FILE = 'ttd.key'


class RahasiaRusak(ValueError):
    """The stored passphrase cannot be decrypted (the key file was replaced or lost)."""


def encrypt(sandi: str, folder: Path) -> str:
    """Return the passphrase encrypted with this installation's key."""
    return _fernet(folder).encrypt(sandi.encode('utf-8')).decode('ascii')


def decrypt(token: str, folder: Path) -> str:
    """Return the clear passphrase of an encrypted one; raise RahasiaRusak if this key did not encrypt it."""
    try:
        return _fernet(folder).decrypt(token.encode('ascii')).decode('utf-8')
    except (InvalidToken, ValueError):
        raise RahasiaRusak('Kata sandi segel elektronik tidak dapat dibuka; pasang ulang sertifikatnya.') from None


@cache
def _fernet(folder: Path) -> Fernet:
    """Return the cipher of the key file in the folder, creating the key (readable by its owner only) once."""
    path = folder / KEY_FILE
    folder.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return Fernet(path.read_bytes().strip())
    with os.fdopen(fd, 'wb') as handle:
        handle.write(Fernet.generate_key())
    return Fernet(path.read_bytes().strip())
