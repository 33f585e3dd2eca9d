"""Reading a PKCS#12 certificate an administrator or officer hands APOK: what it is, whose, valid until when; every
refusal is one Indonesian sentence for the field it came from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from models.waktu import as_utc, format_tanggal, now, to_wib

DEMO_PENANDA = 'APOK DEMO'  # every demonstration certificate's organisation: never a BSrE one
P12_MAX_BYTES = 64 * 1024
BUKAN_SERTIFIKAT = 'Berkas ini bukan sertifikat PKCS#12 (.p12 atau .pfx).'
SANDI_SALAH = 'Kata sandi sertifikat salah.'


class SertifikatDitolak(ValueError):
    """A certificate APOK cannot sign with: not PKCS#12, wrong passphrase, no key, expired or not yet valid."""


@dataclass(frozen=True)
class InfoSertifikat:
    """What a certificate says about itself, as plain values."""

    subjek: str
    penerbit: str
    berlaku_mulai: datetime
    berlaku_sampai: datetime
    sidik: str  # SHA-256 of the DER certificate
    demo: bool
    pem: str


def read_pkcs12(data: bytes, sandi: str | bytes) -> InfoSertifikat:
    """Return what a PKCS#12 file holds once opened with its passphrase; raise SertifikatDitolak otherwise."""
    if not data or len(data) > P12_MAX_BYTES or not _is_pfx(data):
        raise SertifikatDitolak(BUKAN_SERTIFIKAT)
    try:
        key, cert, _ = pkcs12.load_key_and_certificates(data, _bytes(sandi))
    except ValueError:  # the structure parsed above, so what fails now is the passphrase
        raise SertifikatDitolak(SANDI_SALAH) from None
    if key is None or cert is None:
        raise SertifikatDitolak('Sertifikat ini tidak memuat kunci privat untuk menandatangani.')
    return info_of(cert)


def info_of(cert: x509.Certificate) -> InfoSertifikat:
    """Return a certificate's names, validity and fingerprint."""
    organisasi = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return InfoSertifikat(
        subjek=_common_name(cert.subject),
        penerbit=_common_name(cert.issuer),
        berlaku_mulai=cert.not_valid_before_utc,
        berlaku_sampai=cert.not_valid_after_utc,
        sidik=hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest(),
        demo=any(DEMO_PENANDA in str(a.value) for a in organisasi),
        pem=cert.public_bytes(serialization.Encoding.PEM).decode('ascii'),
    )


def check_berlaku(info: InfoSertifikat, at: datetime | None = None) -> None:
    """Raise SertifikatDitolak when the certificate is expired or not yet valid at that moment."""
    at = as_utc(at or now())  # SQLite gives stored times back without their zone
    if at > info.berlaku_sampai:
        tanggal = format_tanggal(to_wib(info.berlaku_sampai).date())
        raise SertifikatDitolak(f'Sertifikat sudah kedaluwarsa (berlaku sampai {tanggal}).')
    if at < info.berlaku_mulai:
        raise SertifikatDitolak('Sertifikat belum berlaku.')


def _is_pfx(data: bytes) -> bool:
    """Return whether the bytes are a PKCS#12 structure at all (so a wrong passphrase can be told apart)."""
    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        pfx['auth_safe'].native  # noqa: B018  # parsing is lazy: touch the content to make it parse
    except (ValueError, TypeError, KeyError):
        return False
    return True


def _common_name(name: x509.Name) -> str:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value)[:200] if values else name.rfc4514_string()[:200]


def _bytes(sandi: str | bytes) -> bytes | None:
    value = sandi.encode('utf-8') if isinstance(sandi, str) else sandi
    return value or None
