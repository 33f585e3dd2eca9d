"""Signing a finished letter (PAdES baseline B-B with pyHanko), behind a small interface so that another signer,
e.g. a BSrE esign client, can be added beside the PKCS#12 one without touching the letter's flow.

Everything a worker process needs travels as plain picklable values (PermintaanTtd); the passphrase lives only in
that request, in memory, for the one signature.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Protocol

from apok_ui.ttd.sertifikat import SertifikatDitolak, check_berlaku, read_pkcs12

FIELD_NAME = 'TTE'


class Penanda(Protocol):
    """Anything that signs a PDF: returns the signed bytes or raises SertifikatDitolak with an Indonesian reason."""

    def sign(self, pdf: bytes) -> bytes: ...


@dataclass(frozen=True)
class PermintaanTtd:
    """One signature to make: the PKCS#12 file, its passphrase, and what the signature records."""

    p12: bytes
    sandi: bytes = field(repr=False)  # never printed, never logged
    nama: str = ''
    lokasi: str = ''
    alasan: str = 'Penerbitan surat APOK'
    kotak: tuple[float, float, float, float] | None = None  # the visible signature field (PDF points), or none
    halaman: int = 0  # the page of that field


class Pkcs12Penanda:
    """Signs with a PKCS#12 certificate (segel elektronik of a kecamatan, or an officer's TTE personal)."""

    def __init__(self, permintaan: PermintaanTtd) -> None:
        self.permintaan = permintaan

    def sign(self, pdf: bytes) -> bytes:
        """Return the PDF with one PAdES signature added as an incremental update (the rendered bytes untouched)."""
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
        from pyhanko.stamp import TextStampStyle

        p = self.permintaan
        check_berlaku(read_pkcs12(p.p12, p.sandi))  # the reasons in Indonesian before pyHanko's own errors
        try:
            signer = signers.SimpleSigner.load_pkcs12_data(p.p12, other_certs=(), passphrase=p.sandi)
        except ValueError:
            raise SertifikatDitolak('Sertifikat tidak dapat dibuka untuk menandatangani.') from None
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        spec = fields.SigFieldSpec(FIELD_NAME, on_page=p.halaman, box=p.kotak) if p.kotak else None
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME, reason=p.alasan, location=p.lokasi, name=p.nama or None, md_algorithm='sha256'
        )
        # The letter itself prints the block's words; the field's own appearance stays empty over them.
        style = TextStampStyle(stamp_text=' ', border_width=0, background=None)
        pdf_signer = signers.PdfSigner(meta, signer=signer, new_field_spec=spec, stamp_style=style)
        return pdf_signer.sign_pdf(writer).getvalue()


def penanda_for(permintaan: PermintaanTtd | None) -> Penanda | None:
    """Return the signer of a request (only PKCS#12 exists today), or None for a letter that is not signed."""
    return Pkcs12Penanda(permintaan) if permintaan is not None else None
