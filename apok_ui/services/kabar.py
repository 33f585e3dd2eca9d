"""What people choose and ask about notifications: an officer's channel and quiet hours, the superadmin's texts,
and a citizen's "Lupa Nomor Pendaftaran" (which sends the nomor only to the contact stored with it)."""

from __future__ import annotations

import secrets

from sqlmodel import select

from apok_ui import db
from apok_ui.notifikasi import pengirim
from apok_ui.notifikasi.antrian import enqueue
from apok_ui.notifikasi.kabar import templat
from apok_ui.services.batas import Dibatasi, Jendela
from apok_ui.services.common import Actor, admin_action, audit, invalid, load_actor
from apok_ui.services.errors import Invalid
from models import Layanan, Pengurusan
from models.akses import Kelola
from models.kabar import Jenis, KabarPetugas, Kanal, TemplatError, check_templat, parse_jam, render
from models.tables import TemplatPesan
from models.validasi import InvalidValue, check_nik, normalize_email, normalize_phone
from models.waktu import format_tanggal, now, to_wib

LUPA_PER_IP_PER_HOUR = 10
LUPA_PER_NIK_PER_HOUR = 3
LUPA_PER_KONTAK_PER_HOUR = 3
LUPA_MAX_NOMOR = 10  # the newest applications a reminder lists
LUPA_TERKIRIM = (
    'Bila NIK dan kontak itu cocok dengan permohonan, Nomor Pendaftaran sudah kami kirim ke kontak tersebut. '
    'Pesan biasanya tiba dalam beberapa menit.'
)
_lupa_ip = Jendela(LUPA_PER_IP_PER_HOUR, 3600)
_lupa_nik = Jendela(LUPA_PER_NIK_PER_HOUR, 3600)
_lupa_kontak = Jendela(LUPA_PER_KONTAK_PER_HOUR, 3600)


def set_kabar_petugas(*, actor: Actor, pilihan: KabarPetugas, ip: str = '') -> KabarPetugas:
    """Save the officer's own choice of channel and quiet hours; every wrong field is reported at once."""
    clean, errors = _clean_kabar_petugas(pilihan)
    if errors:
        raise invalid(errors, 'Periksa isian yang ditandai.')
    with db.get().write() as session:
        petugas = load_actor(session, actor)
        petugas.kabar_kanal, petugas.no_hp, petugas.email = clean.kanal, clean.no_hp, clean.email
        petugas.senyap_mulai, petugas.senyap_sampai = clean.senyap_mulai, clean.senyap_sampai
        petugas.kabar_sampai = now()  # only work that arrives from now on is told
        audit(session, 'ubah_kabar', petugas=petugas, objek=f'petugas:{petugas.id}', ip=ip, detail=clean.kanal or '-')
    return clean


def _clean_kabar_petugas(pilihan: KabarPetugas) -> tuple[KabarPetugas, dict[str, str]]:
    errors: dict[str, str] = {}
    kanal = pilihan.kanal if pilihan.kanal in {k.value for k in Kanal} else ''
    no_hp = email = ''
    try:
        no_hp = normalize_phone(pilihan.no_hp) if (pilihan.no_hp or '').strip() or kanal == Kanal.WHATSAPP else ''
    except InvalidValue as error:
        errors['no_hp'] = str(error)
    try:
        email = normalize_email(pilihan.email) if (pilihan.email or '').strip() or kanal == Kanal.EMAIL else ''
    except InvalidValue as error:
        errors['email'] = 'Email wajib diisi untuk kabar lewat email.' if not pilihan.email else str(error)
    jam = {}
    for name in ('senyap_mulai', 'senyap_sampai'):
        try:
            jam[name] = parse_jam(getattr(pilihan, name)).strftime('%H:%M')
        except TemplatError as error:
            errors[name] = str(error)
    clean = KabarPetugas(kanal, no_hp, email, jam.get('senyap_mulai', ''), jam.get('senyap_sampai', ''))
    return clean, errors


def save_templat(*, actor: Actor, jenis: Jenis, subjek: str, isi: str) -> None:
    """Save the superadmin's text for a kind of message (checked: only its own placeholders, braces paired)."""
    try:
        checked = check_templat(jenis, subjek, isi)
    except TemplatError as error:
        raise Invalid(str(error), {'isi': str(error)}) from None

    def act(session, petugas) -> None:
        row = session.get(TemplatPesan, jenis.value) or TemplatPesan(jenis=jenis.value, subjek='', isi='')
        row.subjek, row.isi, row.diubah_at, row.diubah_oleh = checked.subjek, checked.isi, now(), petugas.id
        session.add(row)
        audit(session, 'ubah_templat_pesan', petugas=petugas, objek=f'templat:{jenis.value}')

    admin_action(actor, Kelola.PESAN, 'ubah_templat_pesan', f'templat:{jenis.value}', act)


def reset_templat(*, actor: Actor, jenis: Jenis) -> None:
    """Go back to the default text of a kind of message."""

    def act(session, petugas) -> None:
        row = session.get(TemplatPesan, jenis.value)
        if row is not None:
            session.delete(row)
        audit(session, 'ubah_templat_pesan', petugas=petugas, objek=f'templat:{jenis.value}', detail='bawaan')

    admin_action(actor, Kelola.PESAN, 'ubah_templat_pesan', f'templat:{jenis.value}', act)


def remind_nomor(*, nik: str, kontak: str, ip: str) -> str:
    """Send the Nomor Pendaftaran of a NIK's applications to the HP or email stored with them; return the answer
    the page shows, the same whether anything matched or not. Wrong input and too many asks are refused."""
    nik, kanal, tujuan = _lupa_input(nik, kontak)
    for window, key in ((_lupa_ip, ip or '-'), (_lupa_nik, nik), (_lupa_kontak, tujuan)):
        if not window.take(key):
            raise Dibatasi('Terlalu banyak permintaan. Tunggu 1 jam, lalu coba lagi.')
    column = Pengurusan.no_hp if kanal is Kanal.WHATSAPP else Pengurusan.email
    with db.get().write() as session:
        rows = session.exec(
            select(Pengurusan.nomor_pendaftaran, Pengurusan.diajukan_at, Layanan.nama)
            .join(Layanan, Layanan.id == Pengurusan.layanan_id)
            .where(Pengurusan.nik == nik, column == tujuan)
            .order_by(Pengurusan.diajukan_at.desc())
            .limit(LUPA_MAX_NOMOR)
        ).all()
        audit(session, 'lupa_nomor', objek=f'{kanal.value}:{_masked(tujuan)}', ip=ip, detail=str(len(rows)))
        if rows:
            daftar = '\n'.join(f'{nomor} · {nama} · {format_tanggal(to_wib(at))}' for nomor, at, nama in rows)
            subjek, isi = render(templat(session, Jenis.LUPA_NOMOR), {'daftar_nomor': daftar})
            kunci = f'lupa:{secrets.token_hex(8)}:{kanal.value}:{tujuan}'
            enqueue(session, kunci=kunci, jenis=Jenis.LUPA_NOMOR, kanal=kanal, tujuan=tujuan, subjek=subjek, isi=isi)
    if rows:
        pengirim.wake()
    return LUPA_TERKIRIM


def _lupa_input(nik: str, kontak: str) -> tuple[str, Kanal, str]:
    errors: dict[str, str] = {}
    try:
        nik = check_nik((nik or '').strip().replace(' ', ''))
    except InvalidValue as error:
        errors['nik'] = str(error)
    kontak = (kontak or '').strip()
    kanal, tujuan = (Kanal.EMAIL, '') if '@' in kontak else (Kanal.WHATSAPP, '')
    try:
        tujuan = normalize_email(kontak) if kanal is Kanal.EMAIL else normalize_phone(kontak)
    except InvalidValue as error:
        errors['kontak'] = str(error) if kontak else 'Isi No HP atau email yang dipakai saat mengajukan.'
    if errors:
        raise invalid(errors, 'Periksa NIK dan kontak yang ditandai.')
    return nik, kanal, tujuan


def _masked(tujuan: str) -> str:
    return tujuan[:4] + '…' + tujuan[-3:]


def reset_limits() -> None:
    """Forget the Lupa Nomor counts (a fresh start, e.g. between tests)."""
    for window in (_lupa_ip, _lupa_nik, _lupa_kontak):
        window.reset()
