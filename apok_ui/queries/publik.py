"""Read-only questions of the public portal: open layanan, the places to choose, and one application as its
pemohon may see it (stages and history, never an officer's name or NIP)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from apok_ui import db
from models import Berkas, Kecamatan, Kelurahan, Layanan, Pengurusan, Peran, Riwayat, Status
from models import workflow as wf
from models.jenis_berkas import SEMUA_JENIS
from models.permohonan import FIELD_LABELS, DataPemohon
from models.validasi import mask_name, normalize_nik, normalize_nomor_pendaftaran


@dataclass(frozen=True)
class Persyaratan:
    """One document a layanan asks for."""

    kode: str
    label: str
    wajib: bool
    jenis: tuple[str, ...]  # pdf | jpg | png


@dataclass(frozen=True)
class Isian:
    """One extra field of a layanan."""

    kode: str
    label: str
    jenis: str  # teks | teks_panjang | angka | tanggal | pilihan
    wajib: bool
    pilihan: tuple[str, ...]


@dataclass(frozen=True)
class LayananPublik:
    """An open layanan as the portal shows it."""

    kode: str
    nama: str
    deskripsi: str
    sla_hari_kerja: int
    persyaratan: tuple[Persyaratan, ...]
    isian: tuple[Isian, ...]


@dataclass(frozen=True)
class KecamatanPublik:
    """A kecamatan with its kelurahan as (id, nama)."""

    id: int
    nama: str
    kelurahan: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Tahap:
    """One stage of the chain and how far it got: disetujui | menunggu | ditolak | belum | batal."""

    label: str
    keadaan: str


@dataclass(frozen=True)
class Kejadian:
    """One line of the public history."""

    waktu: datetime
    judul: str
    keterangan: str
    jenis: str  # positif | negatif | netral


@dataclass(frozen=True)
class Lacakan:
    """An application as its pemohon sees it on Lacak."""

    nomor_pendaftaran: str
    layanan_kode: str
    layanan_nama: str
    kecamatan_nama: str
    nama_samaran: str
    status: Status
    diajukan_at: datetime
    tahapan: tuple[Tahap, ...]
    riwayat: tuple[Kejadian, ...]
    alasan_ditolak: str
    bisa_perbaiki: bool
    bisa_batalkan: bool


@dataclass(frozen=True)
class DataPerbaikan:
    """What a rejected application holds, to fill the perbaikan form: the data and the names of the berkas."""

    layanan: LayananPublik
    kecamatan_nama: str
    kelurahan_nama: str
    data: DataPemohon
    berkas: dict[str, str]  # persyaratan kode -> original file name


def kunci(nomor_pendaftaran: str, nik: str) -> tuple[str, str]:
    """Return the pair as it is stored (models.validasi): the number in capitals, the NIK without spaces."""
    return normalize_nomor_pendaftaran(nomor_pendaftaran), normalize_nik(nik)


def layanan_aktif() -> list[LayananPublik]:
    """Return the open layanan in the order they were added."""
    with db.get().read() as session:
        rows = session.exec(select(Layanan).where(Layanan.aktif).order_by(Layanan.id)).all()
    return [_layanan(row) for row in rows]


def layanan(kode: str) -> LayananPublik | None:
    """Return one open layanan by its code, or None."""
    with db.get().read() as session:
        row = session.exec(select(Layanan).where(Layanan.kode == kode, Layanan.aktif)).first()
    return _layanan(row) if row else None


# Ajukan read every kecamatan and kelurahan on every view: 7-9 % of its cost (issue 19). They change a few times a
# year, by the superadmin; a change reaches the form within this many seconds (a submission is checked anyway).
WILAYAH_SECONDS = 10.0
_wilayah: tuple[db.Database, float, list[KecamatanPublik]] | None = None


def wilayah() -> list[KecamatanPublik]:
    """Return the active kecamatan with their kelurahan, both by name (read at most every WILAYAH_SECONDS)."""
    global _wilayah
    database, at = db.get(), time.monotonic()
    kept = _wilayah
    if kept is not None and kept[0] is database and at - kept[1] < WILAYAH_SECONDS:
        return list(kept[2])
    fresh = _read_wilayah()
    _wilayah = (database, at, fresh)
    return list(fresh)


def _read_wilayah() -> list[KecamatanPublik]:
    with db.get().read() as session:
        kecamatan = session.exec(select(Kecamatan).where(Kecamatan.aktif).order_by(Kecamatan.nama)).all()
        kelurahan = session.exec(select(Kelurahan).order_by(Kelurahan.nama)).all()
    return [
        KecamatanPublik(k.id, k.nama, tuple((v.id, v.nama) for v in kelurahan if v.kecamatan_id == k.id))
        for k in kecamatan
    ]


def lacak(nomor_pendaftaran: str, nik: str) -> Lacakan | None:
    """Return the application with this number and NIK, or None — the same None for a wrong pair as for neither."""
    nomor, nik = kunci(nomor_pendaftaran, nik)
    with db.get().read() as session:
        found = _find(session, nomor, nik)
        if found is None:
            return None
        layanan_row = session.get(Layanan, found.layanan_id)
        kecamatan = session.get(Kecamatan, found.kecamatan_id)
        steps = session.exec(
            select(
                Riwayat.aksi, Riwayat.tahap, Riwayat.peran, Riwayat.keterangan, Riwayat.waktu, Riwayat.status_sesudah
            )
            .where(Riwayat.pengurusan_id == found.id)
            .order_by(Riwayat.id)
        ).all()
    posisi = found.posisi
    riwayat = _riwayat(steps)
    return Lacakan(
        nomor_pendaftaran=found.nomor_pendaftaran,
        layanan_kode=layanan_row.kode,
        layanan_nama=layanan_row.nama,
        kecamatan_nama=kecamatan.nama,
        nama_samaran=mask_name(found.nama),
        status=posisi.status,
        diajukan_at=found.diajukan_at,
        tahapan=_tahapan(posisi),
        riwayat=riwayat,
        alasan_ditolak=_alasan(steps) if posisi.status is Status.DITOLAK else '',
        bisa_perbaiki=wf.may_act(None, wf.Aksi.PERBAIKI, posisi),
        bisa_batalkan=wf.may_act(None, wf.Aksi.BATALKAN, posisi),
    )


def data_perbaikan(nomor_pendaftaran: str, nik: str) -> DataPerbaikan | None:
    """Return a rejected application's data for its pemohon to correct, or None (unknown pair or not rejected)."""
    nomor, nik = kunci(nomor_pendaftaran, nik)
    with db.get().read() as session:
        found = _find(session, nomor, nik)
        if found is None or not wf.may_act(None, wf.Aksi.PERBAIKI, found.posisi):
            return None
        layanan_row = session.get(Layanan, found.layanan_id)
        kecamatan = session.get(Kecamatan, found.kecamatan_id)
        kelurahan = session.get(Kelurahan, found.kelurahan_id)
        files = session.exec(select(Berkas).where(Berkas.pengurusan_id == found.id, Berkas.aktif)).all()
    values = {name: getattr(found, name) for name in FIELD_LABELS}
    values['tanggal_lahir'] = found.tanggal_lahir.isoformat()
    return DataPerbaikan(
        layanan=_layanan(layanan_row),
        kecamatan_nama=kecamatan.nama,
        kelurahan_nama=kelurahan.nama,
        data=DataPemohon(**values, isian=dict(found.isian), kabar_kanal=found.kabar_kanal),
        berkas={f.persyaratan_kode: f.nama_asli for f in files},
    )


def _find(session, nomor: str, nik: str) -> Pengurusan | None:
    if not nomor or not nik:
        return None
    found = session.exec(select(Pengurusan).where(Pengurusan.nomor_pendaftaran == nomor)).first()
    return found if found is not None and found.nik == nik else None


def _layanan(row: Layanan) -> LayananPublik:
    return LayananPublik(
        kode=row.kode,
        nama=row.nama,
        deskripsi=row.deskripsi,
        sla_hari_kerja=row.sla_hari_kerja,
        persyaratan=tuple(
            Persyaratan(p['kode'], p['label'], bool(p.get('wajib', True)), tuple(p.get('jenis') or SEMUA_JENIS))
            for p in row.persyaratan
        ),
        isian=tuple(
            Isian(
                i['kode'], i['label'], i.get('jenis', 'teks'), bool(i.get('wajib', True)), tuple(i.get('pilihan', ()))
            )
            for i in row.isian
        ),
    )


def _tahapan(posisi: wf.Posisi) -> tuple[Tahap, ...]:
    """Return each stage's state: passed, current, refused or still ahead."""
    roles = [Peran(r).label for r in posisi.tahapan]
    status = posisi.status
    if status in wf.TERBIT:
        return tuple(Tahap(label, 'disetujui') for label in roles)
    if status is Status.DIBATALKAN:
        return tuple(Tahap(label, 'batal') for label in roles)
    if status is Status.DITOLAK:
        return tuple(Tahap(label, 'ditolak' if i == 0 else 'belum') for i, label in enumerate(roles))
    return tuple(
        Tahap(label, 'disetujui' if i < posisi.tahap else 'menunggu' if i == posisi.tahap else 'belum')
        for i, label in enumerate(roles)
    )


def _riwayat(steps) -> tuple[Kejadian, ...]:
    """Return the history in the pemohon's words; only a rejection shows its keterangan (the reason)."""
    lines: list[Kejadian] = []
    printed = False
    for aksi, tahap, peran, keterangan, waktu, status_sesudah in steps:
        role = Peran(peran).label if peran else 'Petugas'
        if aksi == wf.Aksi.AJUKAN:
            lines.append(Kejadian(waktu, 'Permohonan diajukan', '', 'netral'))
        elif aksi == wf.Aksi.SETUJUI:
            lines.append(Kejadian(waktu, f'Disetujui {role}', '', 'positif'))
            if status_sesudah == Status.SELESAI:
                lines.append(Kejadian(waktu, 'Selesai: surat diterbitkan', '', 'positif'))
        elif aksi == wf.Aksi.TOLAK and not tahap:
            lines.append(Kejadian(waktu, 'Dikembalikan kepada pemohon untuk diperbaiki', keterangan, 'negatif'))
        elif aksi == wf.Aksi.TOLAK:
            lines.append(Kejadian(waktu, f'Dikembalikan {role} kepada Admin Kecamatan', keterangan, 'negatif'))
        elif aksi == wf.Aksi.REVISI:
            lines.append(Kejadian(waktu, 'Data diperbaiki Admin Kecamatan', '', 'netral'))
        elif aksi == wf.Aksi.PERBAIKI:
            lines.append(Kejadian(waktu, 'Perbaikan dikirim pemohon', '', 'netral'))
        elif aksi == wf.Aksi.CETAK and not printed:
            printed = True
            lines.append(Kejadian(waktu, 'Surat dicetak, siap diambil', '', 'positif'))
        elif aksi == wf.Aksi.SERAHKAN:
            lines.append(Kejadian(waktu, 'Surat diserahkan', '', 'positif'))
        elif aksi == wf.Aksi.KOREKSI:
            lines.append(Kejadian(waktu, 'Catatan penyerahan dikoreksi; surat siap diambil', '', 'netral'))
        elif aksi == wf.Aksi.BATALKAN:
            lines.append(Kejadian(waktu, 'Dibatalkan oleh pemohon', '', 'netral'))
    return tuple(lines)


def _alasan(steps) -> str:
    """Return the keterangan of the latest rejection."""
    reasons = [keterangan for aksi, _tahap, _peran, keterangan, _waktu, _status in steps if aksi == wf.Aksi.TOLAK]
    return reasons[-1] if reasons else ''
