"""Checking a PDF's electronic signature against the roots APOK trusts (pyHanko's validator): intact, trusted,
who signed, and whether the certificate is a demonstration one."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from apok_ui import logging_setup
from apok_ui.ttd.sertifikat import DEMO_PENANDA

T = TypeVar('T')
logger = logging.getLogger(__name__)
# pyHanko logs every untrusted or broken signature as a warning with its traceback; a dropped file is the public's
# input, not an operator's problem, so only its errors reach the log.
logging_setup.quiet('pyhanko', 'pyhanko_certvalidator')


@dataclass(frozen=True)
class HasilTtd:
    """What the signature of a PDF says: none at all, or intact/trusted, by whom and with which kind of certificate."""

    ada: bool
    utuh: bool = False  # the signed bytes are unchanged and the signature is mathematically valid
    tepercaya: bool = False  # the signer's certificate chains to a root APOK trusts
    mencakup_semua: bool = False  # the signature covers the whole file (nothing appended after it)
    penandatangan: str = ''
    demo: bool = False
    waktu: datetime | None = None

    @property
    def sah(self) -> bool:
        """Return whether the signature is valid, trusted and covers the whole document."""
        return self.ada and self.utuh and self.tepercaya and self.mencakup_semua


def check_signature(pdf: bytes, akar_pem: list[str]) -> HasilTtd:
    """Return the state of the first signature of a PDF, validated against these trusted roots (PEM)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # any malformed file is simply one without a signature we can read
        return HasilTtd(ada=False)
    if not signatures:
        return HasilTtd(ada=False)
    context = ValidationContext(trust_roots=[_load_pem(pem) for pem in akar_pem], allow_fetching=False)
    try:
        status = _run_alone(lambda: async_validate_pdf_signature(signatures[0], context))
    except Exception as error:  # a damaged signature counts as not intact, whatever pyHanko trips over
        logger.info('a signature could not be validated: %s', type(error).__name__)
        return HasilTtd(ada=True)
    cert = status.signing_cert
    organisasi = cert.subject.native.get('organization_name', '') if cert is not None else ''
    return HasilTtd(
        ada=True,
        utuh=bool(status.intact and status.valid),
        tepercaya=bool(status.trusted),
        mencakup_semua=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        penandatangan=(cert.subject.native.get('common_name', '') if cert is not None else '')[:200],
        demo=DEMO_PENANDA in str(organisasi),
        waktu=status.signer_reported_dt,
    )


def _run_alone(make_coroutine: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Return the coroutine's result from an event loop of its own (in a helper thread if this one runs a loop):
    pyHanko's validator is asynchronous, APOK calls it from worker threads."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(lambda: asyncio.run(make_coroutine())).result()


def _load_pem(pem: str):
    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509 as asn1_x509

    _, _, der = asn1_pem.unarmor(pem.encode('ascii'))
    return asn1_x509.Certificate.load(der)
