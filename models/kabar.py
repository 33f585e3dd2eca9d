"""Notifications as data: the channels, the kinds of message, their default texts and the placeholders they may use.

Pure: no database and no network. apok_ui/notifikasi decides when a message is due and writes it into the `pesan`
table; its sender delivers it after the commit.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import time, timedelta

from models.label import LabelledEnum


class Kanal(LabelledEnum):
    """How a person hears from APOK."""

    WHATSAPP = 'whatsapp', 'WhatsApp'
    EMAIL = 'email', 'Email'


class StatusPesan(LabelledEnum):
    """Where a message stands in the queue."""

    MENUNGGU = 'menunggu', 'Menunggu'
    TERKIRIM = 'terkirim', 'Terkirim'
    GAGAL = 'gagal', 'Gagal'
    DIBATALKAN = 'dibatalkan', 'Dibatalkan'


class Jenis(LabelledEnum):
    """Which template a message is made from."""

    DITERIMA = 'diterima', 'Permohonan diterima'
    DITOLAK = 'ditolak', 'Permohonan perlu diperbaiki'
    SELESAI = 'selesai', 'Dokumen selesai'
    DISERAHKAN = 'diserahkan', 'Dokumen diserahkan'
    DIBATALKAN = 'dibatalkan', 'Permohonan dibatalkan'
    LUPA_NOMOR = 'lupa_nomor', 'Lupa Nomor Pendaftaran'
    TUGAS_BARU = 'tugas_baru', 'Pengurusan baru untuk petugas'
    RINGKASAN_PAGI = 'ringkasan_pagi', 'Ringkasan pagi untuk Camat dan Sekcam'


@dataclass(frozen=True)
class KabarPetugas:
    """How an officer hears of new work: channel ('' none), contact and quiet hours (WIB, HH:MM)."""

    kanal: str
    no_hp: str
    email: str
    senyap_mulai: str
    senyap_sampai: str


@dataclass(frozen=True)
class Templat:
    """A message text: the subject (email only) and the body, with {placeholders}."""

    subjek: str
    isi: str


# The placeholders each kind may use, with what they stand for (shown to the superadmin beside the editor).
PLACEHOLDER: dict[Jenis, dict[str, str]] = {
    Jenis.DITERIMA: {
        'nomor': 'Nomor Pendaftaran',
        'layanan': 'nama layanan',
        'kecamatan': 'nama kecamatan',
        'tautan_lacak': 'tautan Lacak dengan nomor terisi',
    },
    Jenis.DITOLAK: {
        'nomor': 'Nomor Pendaftaran',
        'layanan': 'nama layanan',
        'alasan': 'alasan penolakan',
        'tautan_perbaikan': 'tautan perbaikan berkas',
    },
    Jenis.SELESAI: {
        'nomor': 'Nomor Pendaftaran',
        'layanan': 'nama layanan',
        'kecamatan': 'nama kecamatan',
        'tempat_ambil': 'alamat kantor camat tempat mengambil',
        'jam_layanan': 'hari dan jam layanan',
        'tautan_lacak': 'tautan Lacak (unduh surat bila layanan mengizinkan)',
    },
    Jenis.DISERAHKAN: {'nomor': 'Nomor Pendaftaran', 'layanan': 'nama layanan', 'kecamatan': 'nama kecamatan'},
    Jenis.DIBATALKAN: {'nomor': 'Nomor Pendaftaran', 'layanan': 'nama layanan', 'tautan_lacak': 'tautan Lacak'},
    Jenis.LUPA_NOMOR: {'daftar_nomor': 'Nomor Pendaftaran dengan layanan dan tanggalnya, satu per baris'},
    Jenis.TUGAS_BARU: {
        'jumlah': 'jumlah pengurusan baru',
        'peran': 'peran petugas',
        'tautan': 'tautan ke Lihat Data yang paling lama menunggu',
    },
    Jenis.RINGKASAN_PAGI: {
        'kecamatan': 'nama kecamatan',
        'menunggu': 'yang menunggu per tahap, satu per baris',
        'lewat_sla': 'jumlah yang lewat SLA',
        'selesai_kemarin': 'jumlah yang selesai kemarin',
        'tautan': 'tautan Monitoring',
    },
}

TEMPLAT_BAWAAN: dict[Jenis, Templat] = {
    Jenis.DITERIMA: Templat(
        'Permohonan {nomor} diterima',
        'Permohonan {layanan} Anda di Kecamatan {kecamatan} sudah kami terima.\n'
        'Nomor Pendaftaran: {nomor}\n'
        'Berkas Anda akan diperiksa petugas; kami kabari lagi di setiap langkah.\n'
        'Lacak: {tautan_lacak}',
    ),
    Jenis.DITOLAK: Templat(
        'Permohonan {nomor} perlu diperbaiki',
        'Permohonan {layanan} ({nomor}) perlu diperbaiki.\nAlasan: {alasan}\nPerbaiki di: {tautan_perbaikan}',
    ),
    Jenis.SELESAI: Templat(
        'Dokumen {nomor} selesai',
        'Dokumen {layanan} Anda ({nomor}) sudah selesai.\n'
        'Ambil di {tempat_ambil}, {jam_layanan}, dengan membawa KTP asli.\n'
        'Lacak: {tautan_lacak}',
    ),
    Jenis.DISERAHKAN: Templat(
        'Dokumen {nomor} diserahkan',
        'Dokumen {layanan} ({nomor}) telah diserahkan di Kantor Camat {kecamatan}. Terima kasih.',
    ),
    Jenis.DIBATALKAN: Templat(
        'Permohonan {nomor} dibatalkan',
        'Permohonan {layanan} ({nomor}) telah dibatalkan. Bila ini keliru, ajukan kembali atau hubungi kantor camat.\n'
        'Lacak: {tautan_lacak}',
    ),
    Jenis.LUPA_NOMOR: Templat(
        'Nomor Pendaftaran APOK Anda',
        'Nomor Pendaftaran permohonan Anda di APOK:\n{daftar_nomor}\nBila Anda tidak memintanya, abaikan pesan ini.',
    ),
    Jenis.TUGAS_BARU: Templat(
        'APOK: {jumlah} pengurusan baru',
        'Ada {jumlah} pengurusan baru menunggu {peran}.\nBuka: {tautan}',
    ),
    Jenis.RINGKASAN_PAGI: Templat(
        'APOK: ringkasan pagi Kecamatan {kecamatan}',
        'Ringkasan pagi Kecamatan {kecamatan}\nMenunggu:\n{menunggu}\nLewat SLA: {lewat_sla}\n'
        'Selesai kemarin: {selesai_kemarin}\nMonitoring: {tautan}',
    ),
}

JAM_LAYANAN = 'Senin–Jumat pukul 08.00–15.00 WIB'
SUBJEK_MAX = 200
ISI_MAX = 2000
# Retries after a failed attempt: 1, 2, 4 … minutes, then every 4 hours, until the first try is 24 hours old.
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=4)
GIVE_UP_AFTER = timedelta(hours=24)


class TemplatError(ValueError):
    """A template that cannot be used; the message says why, in Indonesian."""


def backoff(percobaan: int) -> timedelta:
    """Return the wait before the next attempt after `percobaan` failed ones (1 → 1 minute, doubling, capped)."""
    return min(BACKOFF_FIRST * 2 ** max(percobaan - 1, 0), BACKOFF_MAX)


def placeholders_in(text: str) -> set[str]:
    """Return the {names} a template text uses, or raise TemplatError for a malformed one (a lone brace)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise TemplatError('Tanda kurung kurawal tidak berpasangan: tulis {nama} atau hapus tandanya.') from None
    names = set()
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name or spec or conversion or not name.isidentifier():
            raise TemplatError(f'Isian {{{name}}} tidak dikenal: gunakan nama isian tanpa tambahan.')
        names.add(name)
    return names


def check_templat(jenis: Jenis, subjek: str, isi: str) -> Templat:
    """Return a template the superadmin wrote, or raise TemplatError naming the first unknown placeholder."""
    subjek, isi = (subjek or '').strip(), (isi or '').strip()
    if not isi:
        raise TemplatError('Isi pesan wajib diisi.')
    if len(subjek) > SUBJEK_MAX or len(isi) > ISI_MAX:
        raise TemplatError(f'Subjek paling panjang {SUBJEK_MAX} karakter, isi {ISI_MAX} karakter.')
    allowed = PLACEHOLDER[jenis]
    for text in (subjek, isi):
        unknown = sorted(placeholders_in(text) - set(allowed))
        if unknown:
            raise TemplatError(
                f'Isian {{{unknown[0]}}} tidak tersedia untuk pesan ini; yang tersedia: '
                + ', '.join(f'{{{name}}}' for name in allowed)
            )
    return Templat(subjek, isi)


def render(templat: Templat, values: dict[str, str]) -> tuple[str, str]:
    """Return (subject, body) with the placeholders filled; a placeholder without a value is left empty."""
    filled = _Values(values)
    return string.Formatter().vformat(templat.subjek, (), filled), string.Formatter().vformat(templat.isi, (), filled)


def sample_values(jenis: Jenis) -> dict[str, str]:
    """Return example values for a preview, one per placeholder of the kind."""
    examples = {
        'nomor': 'BTK-2612-00001',
        'layanan': 'Surat Keterangan Domisili',
        'kecamatan': 'Batam Kota',
        'tautan_lacak': 'https://apok.batam.go.id/lacak?nomor=BTK-2612-00001',
        'alasan': 'Foto KTP tidak terbaca.',
        'tautan_perbaikan': 'https://apok.batam.go.id/lacak?nomor=BTK-2612-00001',
        'tempat_ambil': 'Kantor Camat Batam Kota, Jl. Engku Putri No. 1',
        'jam_layanan': JAM_LAYANAN,
        'daftar_nomor': 'BTK-2612-00001 · Surat Keterangan Domisili · 1 Des 2026',
        'jumlah': '3',
        'peran': 'Kasi Kecamatan',
        'tautan': 'https://apok.batam.go.id/admin?lihat=BTK-2612-00001',
        'menunggu': 'Admin Kecamatan: 2\nKasi Kecamatan: 1\nSekretaris Camat: 0\nCamat: 4',
        'lewat_sla': '1',
        'selesai_kemarin': '5',
    }
    return {name: examples.get(name, name) for name in PLACEHOLDER[jenis]}


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return ''


def kabar_label(kanal: str) -> str:
    """Return a person's choice of channel as a screen shows it ('' is no message at all)."""
    return Kanal(kanal).label if kanal in {k.value for k in Kanal} else 'Tidak ingin dikabari'


def parse_jam(text: str) -> time:
    """Return the time of 'HH:MM' (quiet hours), or raise TemplatError with a message for the person."""
    try:
        jam, menit = (int(part) for part in (text or '').strip().replace('.', ':').split(':'))
        return time(jam, menit)
    except ValueError:
        raise TemplatError('Tulis jam sebagai JJ:MM, contoh 21:00.') from None


def in_quiet_hours(mulai: str, sampai: str, at_wib: time) -> bool:
    """Return whether a WIB time of day lies in the quiet hours [mulai, sampai), which may span midnight."""
    start, end = parse_jam(mulai), parse_jam(sampai)
    if start == end:
        return False  # no quiet hours at all
    if start < end:
        return start <= at_wib < end
    return at_wib >= start or at_wib < end
