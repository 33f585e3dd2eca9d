"""The demonstration CA of `make run`: a root and PKCS#12 certificates for each kecamatan's segel and each signing
officer. Every certificate names its organisation 'APOK DEMO (bukan BSrE)', and letters and the verification page
say so; nothing here is ever trusted as a real signature."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from apok_ui.ttd.sertifikat import DEMO_PENANDA
from models.waktu import now

ORGANISASI = f'{DEMO_PENANDA} (bukan BSrE)'


@dataclass(frozen=True)
class OtoritasDemo:
    """A demonstration root: its certificate (trusted by the verification page) and its key (to issue with)."""

    sertifikat: x509.Certificate
    kunci: ec.EllipticCurvePrivateKey

    @property
    def pem(self) -> str:
        return self.sertifikat.public_bytes(serialization.Encoding.PEM).decode('ascii')


def new_ca(nama: str = 'APOK DEMO CA', *, at: datetime | None = None) -> OtoritasDemo:
    """Return a fresh self-signed demonstration root, valid ten years."""
    at = at or now()
    kunci = ec.generate_private_key(ec.SECP256R1())
    subject = _name(nama)
    cert = (
        _builder(subject, subject, kunci.public_key(), at - timedelta(days=1), at + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .sign(kunci, hashes.SHA256())
    )
    return OtoritasDemo(cert, kunci)


def issue_p12(
    ca: OtoritasDemo,
    nama: str,
    sandi: str,
    *,
    mulai: datetime | None = None,
    sampai: datetime | None = None,
) -> bytes:
    """Return a PKCS#12 file (key, certificate, the root) for a signer, protected by the passphrase."""
    mulai = mulai or now() - timedelta(days=1)
    sampai = sampai or mulai + timedelta(days=730)
    kunci = ec.generate_private_key(ec.SECP256R1())
    cert = (
        _builder(_name(nama), ca.sertifikat.subject, kunci.public_key(), mulai, sampai)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ca=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .sign(ca.kunci, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(sandi.encode('utf-8'))
    return pkcs12.serialize_key_and_certificates(nama.encode('utf-8'), kunci, cert, [ca.sertifikat], encryption)


def _name(nama: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, 'ID'),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISASI),
            x509.NameAttribute(NameOID.COMMON_NAME, nama[:64]),
        ]
    )


def _builder(subject, issuer, public_key, mulai: datetime, sampai: datetime) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(mulai)
        .not_valid_after(sampai)
    )


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )
