"""Certificates and signing settings of the digital letter (issue 14): a kecamatan's way of signing, its segel
elektronik, an officer's TTE personal, the roots the verification page trusts. Superadmin actions, each audited;
no passphrase ever reaches a log, an audit row or the database in clear."""

from __future__ import annotations

from cryptography import x509
from sqlalchemy import update
from sqlmodel import Session, select

from apok_ui import db
from apok_ui.printing.surat_baru import letter_folder
from apok_ui.services.common import Actor, admin_action, audit
from apok_ui.services.errors import Invalid, NotFound
from apok_ui.ttd import rahasia
from apok_ui.ttd.sertifikat import InfoSertifikat, SertifikatDitolak, check_berlaku, info_of, read_pkcs12
from models import Kecamatan, Petugas, Sertifikat
from models.akses import Kelola
from models.tanda_tangan import CaraTtd

AKAR_MAX_BYTES = 64 * 1024


def set_cara_ttd(*, actor: Actor, kecamatan_id: int, cara: str, ip: str = '') -> None:
    """Choose how a kecamatan's letters are signed: without TTE, with its segel, or with the signer's TTE personal."""
    if cara not in CaraTtd._value2member_map_:
        raise Invalid('Pilih cara tanda tangan.', {'cara': 'Pilih cara tanda tangan.'})

    def act(session: Session, admin: Petugas) -> None:
        kecamatan = _kecamatan(session, kecamatan_id)
        kecamatan.ttd = cara
        audit(
            session,
            'ttd_cara',
            petugas=admin,
            objek=f'kecamatan:{kecamatan_id}',
            ip=ip,
            detail=cara,
            kecamatan_id=kecamatan_id,
        )

    admin_action(actor, Kelola.KECAMATAN, 'ttd_cara', f'kecamatan:{kecamatan_id}', act)


def install_segel(*, actor: Actor, kecamatan_id: int, p12: bytes, sandi: str, ip: str = '') -> InfoSertifikat:
    """Install a kecamatan's segel elektronik (PKCS#12 and its passphrase, kept encrypted); refuse a file that is
    not a certificate, a wrong passphrase or an expired certificate, beside the field that is wrong."""
    info = _checked(p12, sandi)

    def act(session: Session, admin: Petugas) -> InfoSertifikat:
        _kecamatan(session, kecamatan_id)
        _store(
            session,
            'segel',
            info,
            p12,
            sandi_enc=rahasia.encrypt(sandi, letter_folder().parent),
            kecamatan_id=kecamatan_id,
        )
        audit(
            session,
            'ttd_segel',
            petugas=admin,
            objek=f'kecamatan:{kecamatan_id}',
            ip=ip,
            detail=f'{info.subjek} · {info.sidik[:16]}',
            kecamatan_id=kecamatan_id,
        )
        return info

    return admin_action(actor, Kelola.KECAMATAN, 'ttd_segel', f'kecamatan:{kecamatan_id}', act)


def install_personal(*, actor: Actor, petugas_id: int, p12: bytes, sandi: str, ip: str = '') -> InfoSertifikat:
    """Install an officer's TTE personal; the passphrase only proves the file opens and is then forgotten."""
    info = _checked(p12, sandi)

    def act(session: Session, admin: Petugas) -> InfoSertifikat:
        petugas = session.get(Petugas, petugas_id)
        if petugas is None:
            raise NotFound('Petugas tidak ditemukan.')
        _store(session, 'personal', info, p12, petugas_id=petugas_id, kecamatan_id=petugas.kecamatan_id)
        audit(
            session,
            'ttd_personal',
            petugas=admin,
            objek=f'petugas:{petugas_id}',
            ip=ip,
            detail=f'{info.subjek} · {info.sidik[:16]}',
            kecamatan_id=petugas.kecamatan_id,
        )
        return info

    return admin_action(actor, Kelola.PETUGAS, 'ttd_personal', f'petugas:{petugas_id}', act)


def install_root(*, actor: Actor | None, pem: bytes, ip: str = '') -> InfoSertifikat:
    """Trust a root certificate (PEM or DER) for verifying letters, e.g. the BSrE root a kecamatan's segel chains to."""
    info = _root_info(pem)

    def act(session: Session, admin: Petugas | None) -> InfoSertifikat:
        known = session.exec(
            select(Sertifikat).where(Sertifikat.jenis == 'akar', Sertifikat.sidik == info.sidik)
        ).first()
        if known is not None:
            known.aktif = True
            return info
        _store(session, 'akar', info, None)
        audit(session, 'ttd_akar', petugas=admin, ip=ip, detail=f'{info.subjek} · {info.sidik[:16]}')
        return info

    if actor is None:  # the command line and the demo seeding: the operator at the server
        with db.get().write() as session:
            return act(session, None)
    return admin_action(actor, Kelola.KECAMATAN, 'ttd_akar', 'sertifikat', act)


def seed_demo_certificate(
    *, jenis: str, p12: bytes, sandi: str, kecamatan_id: int | None = None, petugas_id: int | None = None
) -> None:
    """Install a demonstration certificate at the first start of `make run` (no administrator exists to ask yet)."""
    info = _checked(p12, sandi)
    sandi_enc = rahasia.encrypt(sandi, letter_folder().parent) if jenis == 'segel' else None
    with db.get().write() as session:
        _store(session, jenis, info, p12, sandi_enc=sandi_enc, kecamatan_id=kecamatan_id, petugas_id=petugas_id)


def install_segel_at_server(*, kecamatan: str, p12: bytes, sandi: str, cara: str | None = None) -> InfoSertifikat:
    """Install a kecamatan's segel from the server's command line (`python main.py ttd segel`), audited as such;
    optionally switch the kecamatan to signing with it."""
    with db.get().read() as session:
        row = session.exec(select(Kecamatan).where(Kecamatan.nama == ' '.join(kecamatan.split()))).first()
    if row is None:
        raise NotFound(f'Tidak ada kecamatan bernama {kecamatan!r}.')
    seed_demo_certificate(jenis='segel', p12=p12, sandi=sandi, kecamatan_id=row.id)
    info = _checked(p12, sandi)
    with db.get().write() as session:
        if cara:
            session.get(Kecamatan, row.id).ttd = CaraTtd(cara).value
        audit(
            session,
            'ttd_segel',
            objek=f'kecamatan:{row.id}',
            detail=f'oleh baris perintah: {info.subjek}',
            kecamatan_id=row.id,
        )
    return info


def seed_cara_ttd(*, kecamatan_id: int, cara: CaraTtd) -> None:
    """Set a kecamatan's way of signing at the first start of `make run`."""
    with db.get().write() as session:
        _kecamatan(session, kecamatan_id).ttd = cara.value


def _checked(p12: bytes, sandi: str) -> InfoSertifikat:
    try:
        info = read_pkcs12(p12, sandi)
    except SertifikatDitolak as error:
        field = 'sandi' if str(error) == 'Kata sandi sertifikat salah.' else 'berkas'
        raise Invalid(str(error), {field: str(error)}) from None
    try:
        check_berlaku(info)
    except SertifikatDitolak as error:
        raise Invalid(str(error), {'berkas': str(error)}) from None
    return info


def _root_info(data: bytes) -> InfoSertifikat:
    if not data or len(data) > AKAR_MAX_BYTES:
        raise Invalid('Berkas ini bukan sertifikat akar (PEM atau DER).', {'berkas': 'Bukan sertifikat.'})
    try:
        cert = x509.load_pem_x509_certificate(data) if b'-----BEGIN' in data else x509.load_der_x509_certificate(data)
    except ValueError:
        raise Invalid('Berkas ini bukan sertifikat akar (PEM atau DER).', {'berkas': 'Bukan sertifikat.'}) from None
    return info_of(cert)


def _store(
    session: Session,
    jenis: str,
    info: InfoSertifikat,
    p12: bytes | None,
    *,
    sandi_enc: str | None = None,
    kecamatan_id: int | None = None,
    petugas_id: int | None = None,
) -> None:
    """Add the certificate; a new segel or TTE personal replaces the owner's previous one (kept, inactive)."""
    if jenis == 'segel':
        session.execute(
            update(Sertifikat)
            .where(Sertifikat.jenis == 'segel', Sertifikat.kecamatan_id == kecamatan_id)
            .values(aktif=False)
        )
    elif jenis == 'personal':
        session.execute(
            update(Sertifikat)
            .where(Sertifikat.jenis == 'personal', Sertifikat.petugas_id == petugas_id)
            .values(aktif=False)
        )
    session.add(
        Sertifikat(
            jenis=jenis,
            kecamatan_id=kecamatan_id,
            petugas_id=petugas_id,
            subjek=info.subjek,
            penerbit=info.penerbit,
            berlaku_mulai=info.berlaku_mulai,
            berlaku_sampai=info.berlaku_sampai,
            sidik=info.sidik,
            demo=info.demo,
            sertifikat_pem=info.pem,
            p12=p12,
            sandi_enc=sandi_enc,
        )
    )


def _kecamatan(session: Session, kecamatan_id: int) -> Kecamatan:
    kecamatan = session.get(Kecamatan, kecamatan_id)
    if kecamatan is None:
        raise NotFound('Kecamatan tidak ditemukan.')
    return kecamatan
