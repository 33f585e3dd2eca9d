"""The SQLModel tables of SPEC §2. Times are stored as UTC; the status rules live in models/workflow.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, Integer, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.waktu import now
from models.workflow import Posisi

KETERANGAN_MAX = 1000  # a Riwayat step's keterangan: the reason of a rejection or revision, a note, a hand-over


def _when(**kwargs: Any) -> Any:
    """Return a timezone-aware timestamp field."""
    return Field(sa_type=DateTime(timezone=True), **kwargs)


def _json(default: Any) -> Any:
    """Return a JSON field with a fresh default per row."""
    return Field(default_factory=default, sa_column=Column(JSON, nullable=False))


class Kecamatan(SQLModel, table=True):
    """A sub-district office; every officer and application belongs to exactly one."""

    id: int | None = Field(default=None, primary_key=True)
    nama: str = Field(max_length=60, unique=True)
    kode: str = Field(max_length=5, unique=True)
    alamat: str = Field(default='', max_length=200)
    aktif: bool = True
    # The letterhead (kop surat) beside alamat, and how its letters are signed (a models.tanda_tangan.CaraTtd value).
    kode_pos: str = Field(default='', max_length=5)
    telepon: str = Field(default='', max_length=30)
    email: str = Field(default='', max_length=100)
    laman: str = Field(default='', max_length=100)
    logo: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))  # PNG/JPEG; None: lambang
    ttd: str = Field(default='tanpa', max_length=10)


class Kelurahan(SQLModel, table=True):
    """A village-level unit of a kecamatan."""

    __table_args__ = (UniqueConstraint('kecamatan_id', 'nama'),)
    id: int | None = Field(default=None, primary_key=True)
    kecamatan_id: int = Field(foreign_key='kecamatan.id', index=True)
    nama: str = Field(max_length=60)


class Petugas(SQLModel, table=True):
    """An officer who logs in with NIP and password."""

    id: int | None = Field(default=None, primary_key=True)
    nip: str = Field(max_length=18, unique=True)
    nama: str = Field(max_length=100)
    peran: str = Field(max_length=12)  # a models.workflow.Peran value
    jabatan: str = Field(default='', max_length=100)
    pangkat_golongan: str = Field(default='', max_length=60)  # as the signature prints it, e.g. 'Pembina, IV/a'
    kecamatan_id: int | None = Field(default=None, foreign_key='kecamatan.id', index=True)
    password_hash: str = Field(max_length=80)
    aktif: bool = True
    wajib_ganti_password: bool = False
    # Bumped on a password change or deactivation: every session that remembers an older value ends.
    sesi_versi: int = 1
    dibuat_at: datetime = _when(default_factory=now)
    # How the officer hears of new work while away (apok_ui/notifikasi): a models.kabar.Kanal value or '' for never.
    kabar_kanal: str = Field(default='', max_length=10)
    no_hp: str = Field(default='', max_length=16)  # E.164 without '+', as models.kabar.normalize_hp gives it
    email: str = Field(default='', max_length=254)
    senyap_mulai: str = Field(default='21:00', max_length=5)  # quiet hours in WIB, HH:MM; no digest inside them
    senyap_sampai: str = Field(default='07:00', max_length=5)
    # Until when a page of this officer was last known open (refreshed by every process while one is connected).
    daring_sampai: datetime | None = _when(default=None)
    # Work that arrived before this moment is covered by a digest already sent (or seen on a page).
    kabar_sampai: datetime | None = _when(default=None)


class Sesi(SQLModel, table=True):
    """An officer's login in one browser: alive until Keluar, a password change, deactivation, idle or age expiry,
    or an end from Sesi aktif. The browser holds only a random token; the row holds its SHA-256."""

    id: int | None = Field(default=None, primary_key=True)
    petugas_id: int = Field(foreign_key='petugas.id', index=True)
    # Set when the browser claims the login over HTTP; None until then (the cookie is only ever set by that request).
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    # The one-time code that carries a login from the form to that request; cleared when claimed.
    kode_hash: str | None = Field(default=None, max_length=64, unique=True)
    peramban_hash: str = Field(max_length=64)  # the browser that logged in: only it may claim the code
    # The trusted-device token the login issued, handed to the browser with the claim and then forgotten.
    perangkat_token: str | None = Field(default=None, max_length=200)
    sesi_versi: int  # the officer's session version at login: a later password change ends this session
    dibuat_at: datetime = _when(default_factory=now)
    terakhir_at: datetime = _when(default_factory=now)
    berakhir_at: datetime | None = _when(default=None)
    alasan_akhir: str | None = Field(default=None, max_length=20)  # a models.sesi.Akhir value
    ip: str = Field(default='', max_length=45)
    perangkat: str = Field(default='', max_length=80)


class LoginGagal(SQLModel, table=True):
    """One failed login, counted against its source by apok_ui.services.login_throttle; pruned after a few hours.

    Keys are SHA-256 hashes (fixed length, and the typed "NIP" may be a password typed into the wrong field).
    """

    __table_args__ = (
        Index('ix_logingagal_nip', 'nip_kunci', 'alamat_kunci', 'waktu'),
        Index('ix_logingagal_alamat', 'alamat_kunci', 'waktu'),
    )
    id: int | None = Field(default=None, primary_key=True)
    waktu: datetime = _when(default_factory=now, index=True)
    nip_kunci: str = Field(max_length=64)  # the NIP as typed, known to APOK or not
    alamat_kunci: str = Field(max_length=64)  # the browser's address (an IPv6 /64 counts as one)
    perangkat_kunci: str | None = Field(default=None, max_length=64)  # the trusted device it came from; None: untrusted


class PerangkatTepercaya(SQLModel, table=True):
    """A browser an officer logged in from: its device token (the SHA-256 of it) earns it its own login limit."""

    __table_args__ = (UniqueConstraint('token_hash', 'petugas_id'),)
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64)
    petugas_id: int = Field(foreign_key='petugas.id', index=True)
    dibuat_at: datetime = _when(default_factory=now)
    terakhir_at: datetime = _when(default_factory=now)  # the last successful login from it; trust expires after that


class Layanan(SQLModel, table=True):
    """A service type (jenis pengurusan) with its requirements, extra fields and stages."""

    id: int | None = Field(default=None, primary_key=True)
    kode: str = Field(max_length=10, unique=True)
    nama: str = Field(max_length=120)
    deskripsi: str = Field(default='', max_length=500)
    # [{kode, label, wajib, jenis: ['pdf', 'jpg', 'png']}]
    persyaratan: list[dict] = _json(list)
    # [{kode, label, jenis: teks|teks_panjang|angka|tanggal|pilihan, wajib, pilihan}]
    isian: list[dict] = _json(list)
    tahapan: list[str] = _json(list)
    sla_hari_kerja: int = 3
    kode_klasifikasi: str = Field(max_length=20)
    template: str = Field(default='umum.html', max_length=60)
    ukuran_kertas: str = Field(default='A4', max_length=2)
    aktif: bool = True
    unduh_online: bool = False  # the citizen may download the finished letter from Lacak (else: ambil di kantor)


class Pengurusan(SQLModel, table=True):
    """A citizen's application and where it stands in the verification chain."""

    __table_args__ = (
        Index('ix_pengurusan_antrian', 'kecamatan_id', 'peran_menunggu', 'layanan_id', 'menunggu_sejak'),
        Index('ix_pengurusan_status', 'kecamatan_id', 'status', 'layanan_id', 'menunggu_sejak'),
    )
    id: int | None = Field(default=None, primary_key=True)
    nomor_pendaftaran: str = Field(max_length=20, unique=True)
    layanan_id: int = Field(foreign_key='layanan.id', index=True)
    kecamatan_id: int = Field(foreign_key='kecamatan.id')
    kelurahan_id: int = Field(foreign_key='kelurahan.id')
    nik: str = Field(max_length=16, index=True)
    nama: str = Field(max_length=100)
    tempat_lahir: str = Field(max_length=60)
    tanggal_lahir: date
    jenis_kelamin: str = Field(max_length=12)
    agama: str = Field(max_length=20)
    pekerjaan: str = Field(max_length=60)
    status_perkawinan: str = Field(max_length=20)
    alamat: str = Field(max_length=200)
    rt: str = Field(max_length=3)
    rw: str = Field(max_length=3)
    no_hp: str = Field(max_length=16, index=True)
    email: str = Field(default='', max_length=254, index=True)
    # The channel the citizen chose at Ajukan to hear about this application (a models.kabar.Kanal value), or ''.
    kabar_kanal: str = Field(default='', max_length=10)
    isian: dict = _json(dict)
    status: str = Field(max_length=12)  # a models.workflow.Status value
    tahap: int = 0
    tahapan: list[str] = _json(list)
    # Derived from (status, tahap, tahapan) by models.workflow and stored so the queue query can use an index.
    peran_menunggu: str | None = Field(default=None, max_length=12)
    version: int = 1
    diajukan_at: datetime = _when(default_factory=now)
    menunggu_sejak: datetime = _when(default_factory=now)
    diubah_at: datetime = _when(default_factory=now)
    nomor_surat: str | None = Field(default=None, max_length=60, unique=True)
    token_verifikasi: str | None = Field(default=None, max_length=40, unique=True)
    selesai_at: datetime | None = _when(default=None)
    # The officer who approved last and so signs the letter: the Camat in the default chain, whoever ends a shorter one.
    penandatangan_id: int | None = Field(default=None, foreign_key='petugas.id')
    dicetak_at: datetime | None = _when(default=None)
    jumlah_cetak: int = 0
    diserahkan_at: datetime | None = _when(default=None)
    penerima_nama: str | None = Field(default=None, max_length=100)
    penerima_hubungan: str | None = Field(default=None, max_length=60)

    @property
    def posisi(self) -> Posisi:
        """Return where this application stands, for models.workflow."""
        return Posisi.of_row(self.status, self.tahap, self.tahapan, self.version)


class Berkas(SQLModel, table=True):
    """One uploaded file for one requirement; replaced files stay, marked inactive."""

    id: int | None = Field(default=None, primary_key=True)
    pengurusan_id: int = Field(foreign_key='pengurusan.id', index=True)
    persyaratan_kode: str = Field(max_length=40)
    nama_asli: str = Field(max_length=255)
    nama_simpan: str = Field(max_length=80, unique=True)
    content_type: str = Field(max_length=40)
    ukuran: int
    sha256: str = Field(max_length=64)
    aktif: bool = True
    diunggah_at: datetime = _when(default_factory=now)


class Riwayat(SQLModel, table=True):
    """One step in an application's history; rows are only ever added."""

    id: int | None = Field(default=None, primary_key=True)
    pengurusan_id: int = Field(foreign_key='pengurusan.id', index=True)
    aksi: str = Field(max_length=12)
    tahap: int | None = None
    peran: str | None = Field(default=None, max_length=12)
    petugas_id: int | None = Field(default=None, foreign_key='petugas.id')
    pelaku: str = Field(max_length=10)  # petugas | pemohon
    keterangan: str = Field(default='', max_length=KETERANGAN_MAX)
    perubahan: list[dict] = _json(list)  # [{field, label, old, new}] for revisions
    status_sesudah: str = Field(max_length=12)
    waktu: datetime = _when(default_factory=now, index=True)


class AuditLog(SQLModel, table=True):
    """Who did or saw what, when and from where (UU 27/2022)."""

    id: int | None = Field(default=None, primary_key=True)
    waktu: datetime = _when(default_factory=now, index=True)
    aksi: str = Field(max_length=30, index=True)
    petugas_id: int | None = Field(default=None, foreign_key='petugas.id', index=True)
    nip: str | None = Field(default=None, max_length=40)
    kecamatan_id: int | None = Field(default=None, foreign_key='kecamatan.id')
    objek: str = Field(default='', max_length=80)
    ip: str = Field(default='', max_length=45)
    detail: str = Field(default='', max_length=500)


class Penomoran(SQLModel, table=True):
    """A named counter (registrations per kecamatan and month, letters per kecamatan and year)."""

    kunci: str = Field(primary_key=True, max_length=40)
    nilai: int = 0


class LayananKecamatan(SQLModel, table=True):
    """A layanan switched on or off in one kecamatan; without a row the layanan's own switch (aktif) decides."""

    layanan_id: int = Field(foreign_key='layanan.id', primary_key=True)
    kecamatan_id: int = Field(foreign_key='kecamatan.id', primary_key=True)
    aktif: bool = True


_OUTBOX_ID = BigInteger().with_variant(Integer(), 'sqlite')  # SQLite autoincrements only an INTEGER primary key


class Outbox(SQLModel, table=True):
    """A committed change as a durable fact, written in the change's own transaction (apok_ui/outbox.py).

    Everything that runs after a commit reads these rows by position (`id`, which follows commit order): the
    process's live bus, the other processes through PostgreSQL, the notifier. `kind` says what `payload` is.
    """

    id: int | None = Field(default=None, sa_column=Column(_OUTBOX_ID, primary_key=True, autoincrement=True))
    kind: str = Field(max_length=20)
    payload: dict[str, Any] = _json(dict)
    created_at: datetime = _when(default_factory=now, index=True)


class OutboxPosition(SQLModel, table=True):
    """How far a consumer that runs once for all processes (the notifier) has handled the outbox."""

    consumer: str = Field(primary_key=True, max_length=40)
    position: int = Field(default=0, sa_column=Column(BigInteger(), nullable=False, default=0))
    updated_at: datetime = _when(default_factory=now)


class Pesan(SQLModel, table=True):
    """One message to one recipient on one channel, written in the transaction of the change that causes it and
    sent after the commit by apok_ui/notifikasi/pengirim.py (retried with backoff, then marked failed).

    `kunci` makes it idempotent: the same change, channel and recipient never make a second row.
    """

    __table_args__ = (Index('ix_pesan_antrian', 'status', 'berikutnya'),)
    id: int | None = Field(default=None, sa_column=Column(_OUTBOX_ID, primary_key=True, autoincrement=True))
    kunci: str = Field(max_length=120, unique=True)
    jenis: str = Field(max_length=20)  # a models.kabar.Jenis value: which template made it
    kanal: str = Field(max_length=10)  # a models.kabar.Kanal value
    tujuan: str = Field(max_length=254)  # E.164 digits for WhatsApp, an address for email
    subjek: str = Field(default='', max_length=200)
    isi: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default='menunggu', max_length=12)  # a models.kabar.StatusPesan value
    percobaan: int = 0
    berikutnya: datetime = _when(default_factory=now)  # not sent before this (backoff); also the claim's lease
    jawaban: str = Field(default='', max_length=500)  # the server's or gateway's last answer, for the superadmin
    dibuat_at: datetime = _when(default_factory=now, index=True)
    terkirim_at: datetime | None = _when(default=None)


class TemplatPesan(SQLModel, table=True):
    """A message text the superadmin changed; a kind without a row uses models.kabar.TEMPLAT_BAWAAN."""

    jenis: str = Field(primary_key=True, max_length=20)
    subjek: str = Field(max_length=200)
    isi: str = Field(sa_column=Column(Text, nullable=False))
    diubah_at: datetime = _when(default_factory=now)
    diubah_oleh: int | None = Field(default=None, foreign_key='petugas.id')
