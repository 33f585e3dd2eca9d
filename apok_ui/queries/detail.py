"""Read-only questions of Lihat Data: one application of the officer's kecamatan, its Riwayat and its berkas."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session

from apok_ui import db
from models import Berkas, Kecamatan, Kelurahan, Layanan, Pengurusan, Petugas, Posisi, Riwayat, Status
from models.permohonan import FIELD_LABELS


@dataclass(frozen=True)
class Langkah:
    """One Riwayat row with the officer's name and NIP (None for the pemohon or the system)."""

    aksi: str
    tahap: int | None
    peran: str | None
    petugas_nama: str | None
    petugas_nip: str | None
    keterangan: str
    perubahan: list[dict]
    status_sesudah: str
    waktu: datetime


@dataclass(frozen=True)
class BerkasItem:
    """One active uploaded file, with the requirement it answers."""

    id: int
    persyaratan_kode: str
    label: str
    nama_asli: str
    content_type: str
    ukuran: int

    @property
    def is_image(self) -> bool:
        """Return whether the file is a picture (shown as an image, not in a PDF frame)."""
        return self.content_type.startswith('image/')


@dataclass(frozen=True)
class Detail:
    """Everything Lihat Data shows of one application, read in one short session."""

    id: int
    nomor_pendaftaran: str
    version: int
    status: Status
    tahap: int
    tahapan: tuple[str, ...]
    layanan_id: int
    layanan_nama: str
    sla_hari_kerja: int
    isian_spec: list[dict]
    kecamatan_nama: str
    kelurahan_nama: str
    pemohon: dict[str, str | date]
    isian: dict[str, str]
    diajukan_at: datetime
    menunggu_sejak: datetime
    nomor_surat: str | None
    selesai_at: datetime | None
    dicetak_at: datetime | None
    jumlah_cetak: int
    diserahkan_at: datetime | None
    penerima_nama: str | None
    penerima_hubungan: str | None
    kabar_kanal: str = ''  # how the citizen chose to hear about it at Ajukan (a models.kabar.Kanal value), or ''
    riwayat: list[Langkah] = field(default_factory=list)
    berkas: list[BerkasItem] = field(default_factory=list)

    @property
    def posisi(self) -> Posisi:
        """Return where the application stands, for models.workflow."""
        return Posisi.of_row(self.status, self.tahap, self.tahapan, self.version)


def detail(kecamatan_id: int, pengurusan_id: int) -> Detail | None:
    """Return one application of this kecamatan with its Riwayat and berkas, or None (missing or not ours)."""
    with db.get().read() as session:
        row = session.execute(
            select(Pengurusan, Layanan, Kelurahan.nama, Kecamatan.nama)
            .join(Layanan, Layanan.id == Pengurusan.layanan_id)
            .join(Kelurahan, Kelurahan.id == Pengurusan.kelurahan_id)
            .join(Kecamatan, Kecamatan.id == Pengurusan.kecamatan_id)
            .where(Pengurusan.id == pengurusan_id, Pengurusan.kecamatan_id == kecamatan_id)
        ).first()
        if row is None:
            return None
        p, layanan, kelurahan_nama, kecamatan_nama = row
        return Detail(
            id=p.id,
            nomor_pendaftaran=p.nomor_pendaftaran,
            version=p.version,
            status=Status(p.status),
            tahap=p.tahap,
            tahapan=tuple(p.tahapan),
            layanan_id=layanan.id,
            layanan_nama=layanan.nama,
            sla_hari_kerja=layanan.sla_hari_kerja,
            isian_spec=list(layanan.isian),
            kecamatan_nama=kecamatan_nama,
            kelurahan_nama=kelurahan_nama,
            pemohon={name: getattr(p, name) for name in FIELD_LABELS},
            isian=dict(p.isian),
            diajukan_at=p.diajukan_at,
            menunggu_sejak=p.menunggu_sejak,
            nomor_surat=p.nomor_surat,
            selesai_at=p.selesai_at,
            dicetak_at=p.dicetak_at,
            jumlah_cetak=p.jumlah_cetak,
            diserahkan_at=p.diserahkan_at,
            penerima_nama=p.penerima_nama,
            penerima_hubungan=p.penerima_hubungan,
            kabar_kanal=p.kabar_kanal,
            riwayat=_riwayat(session, p.id),
            berkas=_berkas(session, p.id, layanan.persyaratan),
        )


def _riwayat(session: Session, pengurusan_id: int) -> list[Langkah]:
    rows = session.execute(
        select(Riwayat, Petugas.nama, Petugas.nip)
        .outerjoin(Petugas, Petugas.id == Riwayat.petugas_id)
        .where(Riwayat.pengurusan_id == pengurusan_id)
        .order_by(Riwayat.waktu, Riwayat.id)
    ).all()
    return [
        Langkah(r.aksi, r.tahap, r.peran, nama, nip, r.keterangan, list(r.perubahan), r.status_sesudah, r.waktu)
        for r, nama, nip in rows
    ]


def _berkas(session: Session, pengurusan_id: int, persyaratan: list[dict]) -> list[BerkasItem]:
    """Return the active berkas in the order of the layanan's requirements."""
    labels = {item['kode']: item['label'] for item in persyaratan}
    order = {kode: index for index, kode in enumerate(labels)}
    rows = session.execute(
        select(Berkas).where(Berkas.pengurusan_id == pengurusan_id, Berkas.aktif.is_(True)).order_by(Berkas.id)
    ).scalars()
    items = [
        BerkasItem(
            b.id,
            b.persyaratan_kode,
            labels.get(b.persyaratan_kode, b.persyaratan_kode),
            b.nama_asli,
            b.content_type,
            b.ukuran,
        )
        for b in rows
    ]
    return sorted(items, key=lambda item: order.get(item.persyaratan_kode, len(order)))
