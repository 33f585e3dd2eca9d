"""Which messages a committed change causes, decided after the commit from the outbox, once for all processes.

`handle` runs inside `outbox.consume`'s write transaction: the messages it queues commit together with the
consumer's new position, so a change is turned into messages exactly once, whatever crashes or how many processes
run. Nothing here sends anything or slows down the officer whose action caused the change.
"""

from __future__ import annotations

from sqlmodel import Session, select

from apok_ui import db, outbox
from apok_ui.notifikasi.antrian import enqueue
from models import Kecamatan, Layanan, Pengurusan, Riwayat
from models.kabar import JAM_LAYANAN, TEMPLAT_BAWAAN, Jenis, Kanal, Templat, render
from models.tables import TemplatPesan
from models.workflow import Aksi, Status

CONSUMER = 'kabar'

_base_url = 'http://localhost:8080'


def configure(base_url: str) -> None:
    """Set the address the links in messages lead to (APOK_BASE_URL); main.py calls it once at start-up."""
    global _base_url  # noqa: PLW0603  # one address per process, like the printed QR codes'
    _base_url = base_url.strip().rstrip('/')


def link(path: str) -> str:
    """Return an absolute link into APOK for a message."""
    return f'{_base_url}{path}'


def jenis_for(aksi: str, status: str) -> Jenis | None:
    """Return which message a citizen gets for a change, or None (steps inside the office are not told)."""
    if aksi in (Aksi.AJUKAN, Aksi.PERBAIKI):
        return Jenis.DITERIMA
    if aksi == Aksi.TOLAK and status == Status.DITOLAK:
        return Jenis.DITOLAK
    if aksi == Aksi.SETUJUI and status == Status.SELESAI:
        return Jenis.SELESAI
    if aksi == Aksi.SERAHKAN:
        return Jenis.DISERAHKAN
    if aksi == Aksi.BATALKAN:
        return Jenis.DIBATALKAN
    return None


def recipient(kanal: str, no_hp: str, email: str) -> tuple[Kanal, str] | None:
    """Return the channel and address a person chose, or None when they chose none (or left it empty)."""
    if kanal == Kanal.WHATSAPP and no_hp:
        return Kanal.WHATSAPP, no_hp
    if kanal == Kanal.EMAIL and email:
        return Kanal.EMAIL, email
    return None


def templat(session: Session, jenis: Jenis) -> Templat:
    """Return the text the superadmin set for a kind, or its default."""
    row = session.get(TemplatPesan, jenis.value)
    return Templat(row.subjek, row.isi) if row is not None else TEMPLAT_BAWAAN[jenis]


def handle(session: Session, facts: list[outbox.Fact]) -> None:
    """Queue the citizen's message for every change that tells them something (run by outbox.consume)."""
    for fact in facts:
        if fact.kind != outbox.PENGURUSAN:
            continue
        jenis = jenis_for(fact.payload['aksi'], fact.payload['status'])
        if jenis is None:
            continue
        pengurusan = session.get(Pengurusan, fact.payload['pengurusan_id'])
        target = pengurusan and recipient(pengurusan.kabar_kanal, pengurusan.no_hp, pengurusan.email)
        if not target:
            continue
        kanal, tujuan = target
        subjek, isi = render(templat(session, jenis), citizen_values(session, pengurusan, jenis))
        kunci = f'outbox:{fact.position}:{kanal.value}:{tujuan}'
        enqueue(session, kunci=kunci, jenis=jenis, kanal=kanal, tujuan=tujuan, subjek=subjek, isi=isi)


def citizen_values(session: Session, pengurusan: Pengurusan, jenis: Jenis) -> dict[str, str]:
    """Return the placeholders' values for a citizen's message: no NIK and no officer names, by design."""
    layanan = session.get(Layanan, pengurusan.layanan_id)
    kecamatan = session.get(Kecamatan, pengurusan.kecamatan_id)
    lacak = link(f'/lacak?nomor={pengurusan.nomor_pendaftaran}')
    values = {
        'nomor': pengurusan.nomor_pendaftaran,
        'layanan': layanan.nama if layanan else '',
        'kecamatan': kecamatan.nama if kecamatan else '',
        'tautan_lacak': lacak,
        'tautan_perbaikan': lacak,  # Lacak opens the perbaikan form for a rejected application
        'jam_layanan': JAM_LAYANAN,
        'tempat_ambil': _tempat_ambil(kecamatan),
    }
    if jenis is Jenis.DITOLAK:
        values['alasan'] = _last_reason(session, pengurusan.id)
    return values


def _tempat_ambil(kecamatan: Kecamatan | None) -> str:
    if kecamatan is None:
        return 'kantor camat'
    alamat = f', {kecamatan.alamat}' if kecamatan.alamat else ''
    return f'Kantor Camat {kecamatan.nama}{alamat}'


def _last_reason(session: Session, pengurusan_id: int) -> str:
    row = session.exec(
        select(Riwayat.keterangan)
        .where(Riwayat.pengurusan_id == pengurusan_id, Riwayat.aksi == Aksi.TOLAK.value)
        .order_by(Riwayat.id.desc())
        .limit(1)
    ).first()
    return row or ''


def catch_up() -> int:
    """Turn the changes committed since the last round into messages; return how many changes were handled."""
    return outbox.consume(db.get(), CONSUMER, handle)
