"""Demo data for `make run`: officers for every kecamatan, a superadmin, and ~150 applications per kecamatan in
every state, made through the same services the app uses (so every Riwayat row is real)."""

from __future__ import annotations

import random
import secrets
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TextIO

from sqlmodel import select

from apok_ui import db, services
from apok_ui.berkas import Unggahan
from apok_ui.security import hash_password
from apok_ui.services import Actor, sertifikat
from apok_ui.services.administrasi_layanan import seed_unduh_online
from apok_ui.ttd import demo as demo_ca
from models import Kecamatan, Kelurahan, Layanan, Pengurusan, Peran, Petugas
from models.permohonan import AGAMA, STATUS_PERKAWINAN, DataPemohon
from models.tanda_tangan import CaraTtd
from models.waktu import now, today_wib

DEMO_PASSWORD = 'apok2026'
DEMO_UNDUH_ONLINE = ('SKD', 'SKTM')  # the demo's layanan whose letters citizens download from Lacak
SUPERADMIN_NIP = '198001012005011000'
ROLE_DIGIT = {Peran.ADMIN: 1, Peran.KASI: 2, Peran.SEKCAM: 3, Peran.CAMAT: 4}
# Mobile prefixes of Indonesia's operators: a demo number must be a real mobile number (models.validasi, phonenumbers).
OPERATOR_PREFIXES = ('811', '812', '813', '821', '822', '852', '853', '857', '858', '877', '878', '881', '895', '896')
FIRST = (
    'Budi',
    'Siti',
    'Agus',
    'Dewi',
    'Rudi',
    'Rina',
    'Andi',
    'Nur',
    'Hendra',
    'Yanti',
    'Joko',
    'Sri',
    'Bayu',
    'Fitri',
    'Dedi',
    'Wati',
    'Eko',
    'Lestari',
    'Rizky',
    'Putri',
    'Ahmad',
    'Maria',
    'Yohanes',
    'Ketut',
)
LAST = (
    'Santoso',
    'Rahayu',
    'Siregar',
    'Lubis',
    'Hasibuan',
    'Nasution',
    'Saputra',
    'Wijaya',
    'Simanjuntak',
    'Hutapea',
    'Pratama',
    'Harahap',
    'Kurniawan',
    'Sitompul',
    'Panjaitan',
    'Setiawan',
    'Gunawan',
    'Situmorang',
)
JOBS = ('Karyawan Swasta', 'Wiraswasta', 'Pelajar/Mahasiswa', 'Ibu Rumah Tangga', 'Buruh Harian Lepas', 'Nelayan')
# How many applications of each kind every kecamatan gets: (steps of the chain approved, final action).
PLAN = (
    (0, None, 30),
    (1, None, 20),
    (2, None, 15),
    (3, None, 15),
    (1, 'revisi', 8),
    (0, 'ditolak', 7),
    (4, None, 30),
    (4, 'serahkan', 20),
    (0, 'batal', 5),
)


@dataclass(frozen=True)
class DemoLogin:
    """A demo officer's login line."""

    kecamatan: str
    peran: str
    nip: str


def demo_nip(kecamatan_index: int, peran: Peran) -> str:
    """Return a demo officer's 18-digit NIP."""
    return f'198001012005011{kecamatan_index:02d}{ROLE_DIGIT[peran]}'


def make_nik(kecamatan_index: int, born: date, female: bool, seq: int) -> str:
    """Return a plausible Batam NIK (2171 + kecamatan + birth date, +40 on the day for women + sequence)."""
    day = born.day + 40 if female else born.day
    return f'2171{kecamatan_index:02d}{day:02d}{born:%m%y}{seq % 9999 + 1:04d}'


def seed_demo(
    per_kecamatan: int = 150, *, seed: int = 7, progress: Callable[[int, int], None] | None = None
) -> list[DemoLogin]:
    """Add demo officers and applications to a database that has reference data; return the logins."""
    logins = seed_demo_people()
    seed_demo_applications(per_kecamatan, seed=seed, progress=progress)
    return logins


def seed_demo_people() -> list[DemoLogin]:
    """Add the demo officers and their certificates (a few seconds); return the logins."""
    logins = _seed_officers()
    seed_demo_ttd()
    return logins


def seed_demo_applications(
    per_kecamatan: int = 150, *, seed: int = 7, progress: Callable[[int, int], None] | None = None
) -> None:
    """Add ~per_kecamatan applications in every state to every kecamatan, through the services; `progress(done,
    total)` hears after each one."""
    rng = random.Random(seed)
    with db.get().read() as session:
        kecamatan = session.exec(select(Kecamatan).order_by(Kecamatan.id)).all()
        layanan = session.exec(select(Layanan).order_by(Layanan.id)).all()
        kelurahan = session.exec(select(Kelurahan)).all()
    actors = _actors()
    total, done = len(_plan(per_kecamatan)) * len(kecamatan), 0
    for index, kec in enumerate(kecamatan, start=1):
        villages = [k for k in kelurahan if k.kecamatan_id == kec.id]
        for _ in _seed_applications(rng, index, kec, villages, layanan, actors, per_kecamatan):
            done += 1
            if progress is not None:
                progress(done, total)


def seed_in_background(per_kecamatan: int = 150, out: TextIO = sys.stdout) -> threading.Thread:
    """Seed the applications in a thread of their own, telling `out` how far it got (the officers first:
    seed_demo_people).

    `make run` on a fresh clone waited ~40 s for the applications before the first page (issue 19); the logins work
    at once and the queues fill while the developer looks around.
    """
    step = [0]

    def tell(done: int, total: int) -> None:
        if done * 10 // total > step[0] or done == total:
            step[0] = done * 10 // total
            print(f'APOK: data demo {done}/{total} pengurusan ({done * 100 // total} %)', file=out, flush=True)

    thread = threading.Thread(
        target=seed_demo_applications, kwargs={'per_kecamatan': per_kecamatan, 'progress': tell}, daemon=True
    )
    thread.name = 'apok-demo'
    thread.start()
    return thread


def seed_demo_ttd() -> None:
    """Create the demonstration CA and its certificates: a segel for every kecamatan (the first kecamatan signs with
    the Camat's TTE personal instead, passphrase DEMO_PASSWORD) and a TTE personal for every Kasi, Sekcam and Camat.
    Every one says 'APOK DEMO (bukan BSrE)'; letters and the verification page repeat it."""
    ca = demo_ca.new_ca()
    sertifikat.install_root(actor=None, pem=ca.pem.encode('ascii'))
    with db.get().read() as session:
        kecamatan = session.exec(select(Kecamatan).order_by(Kecamatan.id)).all()
        signers = session.exec(
            select(Petugas).where(Petugas.peran.in_([Peran.KASI.value, Peran.SEKCAM.value, Peran.CAMAT.value]))
        ).all()
    for index, kec in enumerate(kecamatan):
        sandi = secrets.token_urlsafe(18)  # nobody needs to know it: the server decrypts it to sign
        p12 = demo_ca.issue_p12(ca, f'Segel Kecamatan {kec.nama}', sandi)
        sertifikat.seed_demo_certificate(jenis='segel', p12=p12, sandi=sandi, kecamatan_id=kec.id)
        sertifikat.seed_cara_ttd(kecamatan_id=kec.id, cara=CaraTtd.PERSONAL if index == 0 else CaraTtd.SEGEL)
    seed_unduh_online(DEMO_UNDUH_ONLINE)
    for petugas in signers:
        p12 = demo_ca.issue_p12(ca, petugas.nama, DEMO_PASSWORD)
        sertifikat.seed_demo_certificate(jenis='personal', p12=p12, sandi=DEMO_PASSWORD, petugas_id=petugas.id)


def demo_logins() -> list[DemoLogin]:
    """Return the demo logins of the kecamatan in the database (for printing at start)."""
    with db.get().read() as session:
        kecamatan = session.exec(select(Kecamatan).order_by(Kecamatan.id)).all()
    logins = [DemoLogin('-', Peran.SUPERADMIN.value, SUPERADMIN_NIP)]
    for index, kec in enumerate(kecamatan, start=1):
        logins += [DemoLogin(kec.nama, role.value, demo_nip(index, role)) for role in ROLE_DIGIT]
    return logins


def _seed_officers() -> list[DemoLogin]:
    password_hash = hash_password(DEMO_PASSWORD)  # one hash for all: the demo would otherwise take ~16 s
    logins = demo_logins()
    for login in logins:
        services.create_petugas(
            nip=login.nip,
            nama=_officer_name(login),
            peran=login.peran,
            kecamatan=None if login.kecamatan == '-' else login.kecamatan,
            password='',
            password_hash=password_hash,
        )
    return logins


def _officer_name(login: DemoLogin) -> str:
    rng = random.Random(login.nip)
    return f'{rng.choice(FIRST)} {rng.choice(LAST)}'


def _actors() -> dict[tuple[int, str], Actor]:
    with db.get().read() as session:
        rows = session.exec(select(Petugas).where(Petugas.kecamatan_id.is_not(None))).all()
    return {(p.kecamatan_id, p.peran): Actor(p.id, p.sesi_versi) for p in rows}


def _plan(total: int) -> list[tuple[int, str | None]]:
    return [(steps, end) for steps, end, count in PLAN for _ in range(round(count * total / 150))]


def _seed_applications(rng, index, kec, villages, layanan, actors, total) -> Iterator[int]:
    """Submit and move one kecamatan's demo applications; yield after each."""
    for n, (steps, end) in enumerate(_plan(total)):
        submitted = now() - timedelta(days=rng.uniform(0.1, 30), minutes=n)
        item = rng.choice(layanan)
        data = _pemohon(rng, index, n, item)
        result = services.submit(
            layanan_kode=item.kode,
            kecamatan_id=kec.id,
            kelurahan_id=rng.choice(villages).id,
            data=data,
            uploads=sample_uploads(item.persyaratan),
            at=submitted,
        )
        _walk(result.pengurusan_id, kec.id, steps, end, actors, submitted)
        yield n


def _walk(pengurusan_id: int, kecamatan_id: int, steps: int, end: str | None, actors, at: datetime) -> None:
    """Move a demo application along the chain, as the officers would."""
    version = 1
    chain = (Peran.ADMIN, Peran.KASI, Peran.SEKCAM, Peran.CAMAT)
    for role in chain[:steps]:
        at += timedelta(hours=3)
        version = services.approve(
            actor=actors[(kecamatan_id, role)],
            pengurusan_id=pengurusan_id,
            version=version,
            keterangan='Berkas lengkap.',
            at=min(at, now()),
        ).version
    admin = actors[(kecamatan_id, Peran.ADMIN)]
    later = min(at + timedelta(hours=3), now())
    if end == 'revisi':
        services.reject(
            actor=actors[(kecamatan_id, Peran.KASI)],
            pengurusan_id=pengurusan_id,
            version=version,
            keterangan='Alamat pada KTP dan surat pengantar berbeda.',
            at=later,
        )
    elif end == 'ditolak':
        services.reject(
            actor=admin,
            pengurusan_id=pengurusan_id,
            version=version,
            keterangan='Surat pengantar RT/RW belum ditandatangani.',
            at=later,
        )
    elif end == 'serahkan':
        services.record_print(actor=admin, pengurusan_id=pengurusan_id, at=later)
        services.hand_over(
            actor=admin,
            pengurusan_id=pengurusan_id,
            version=version + 1,
            penerima_nama='Penerima Demo',
            penerima_hubungan='Keluarga',
            at=later,
        )
    elif end == 'batal':
        with db.get().read() as session:
            p = session.get(Pengurusan, pengurusan_id)
        services.cancel(nomor_pendaftaran=p.nomor_pendaftaran, nik=p.nik, at=later)


def _pemohon(rng: random.Random, index: int, n: int, layanan: Layanan) -> DataPemohon:
    female = rng.random() < 0.5
    born = date(rng.randint(1965, 2005), rng.randint(1, 12), rng.randint(1, 28))
    first = rng.choice(FIRST)
    return DataPemohon(
        nik=make_nik(index, born, female, n),
        nama=f'{first} {rng.choice(LAST)}',
        tempat_lahir='Batam',
        tanggal_lahir=born.isoformat(),
        jenis_kelamin='Perempuan' if female else 'Laki-laki',
        agama=rng.choice(AGAMA[:5]),
        pekerjaan=rng.choice(JOBS),
        status_perkawinan=rng.choice(STATUS_PERKAWINAN[:2]),
        alamat=f'Perumahan Demo Blok {rng.choice("ABCDEFG")} No. {rng.randint(1, 99)}',
        rt=str(rng.randint(1, 12)),
        rw=str(rng.randint(1, 9)),
        no_hp=f'0{rng.choice(OPERATOR_PREFIXES)}{rng.randint(10_000_000, 99_999_999)}',
        email=f'{first.lower()}{n}@contoh.id',
        isian=sample_isian(layanan.isian, rng),
    )


def sample_isian(fields: list[dict], rng: random.Random | None = None) -> dict[str, str]:
    """Return valid values for a layanan's extra fields: varied with a random generator, else always the same."""
    return {field['kode']: _isian_value(field, rng) for field in fields}


def _isian_value(field: dict, rng: random.Random | None) -> str:
    jenis = field.get('jenis', 'teks')
    if jenis == 'angka':
        return str(rng.randint(1, 2025)) if rng else '12'
    if jenis == 'tanggal':
        return (today_wib() + timedelta(days=rng.randint(-300, 60))).isoformat() if rng else '2026-12-01'
    if jenis == 'pilihan':
        return rng.choice(field['pilihan']) if rng else field['pilihan'][0]
    return 'Keperluan administrasi kependudukan'


def sample_uploads(persyaratan: list[dict]) -> list[Unggahan]:
    """Return a valid upload (the small sample PDF or PNG) for every requirement of a layanan."""
    return [
        Unggahan(
            item['kode'],
            f'{item["kode"]}.{"png" if "pdf" not in item["jenis"] else "pdf"}',
            SAMPLE_PNG if 'pdf' not in item['jenis'] else SAMPLE_PDF,
        )
        for item in persyaratan
    ]


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """Return a small real PNG of one colour (no image library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, 'big') + kind + data + zlib.crc32(kind + data).to_bytes(4, 'big')

    raw = b''.join(b'\x00' + bytes(rgb) * width for _ in range(height))
    header = width.to_bytes(4, 'big') + height.to_bytes(4, 'big') + b'\x08\x02\x00\x00\x00'
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')


def _pdf(text: str) -> bytes:
    """Return a small real one-page PDF showing a line of text."""
    stream = f'BT /F1 18 Tf 72 720 Td ({text}) Tj ET'.encode()
    objects = [
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R '
        b'/Resources << /Font << /F1 5 0 R >> >> >>',
        b'<< /Length %d >>\nstream\n' % len(stream) + stream + b'\nendstream',
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ]
    out, offsets = bytearray(b'%PDF-1.4\n'), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b'%d 0 obj\n' % number + body + b'\nendobj\n'
    xref = len(out)
    out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1)
    out += b''.join(b'%010d 00000 n \n' % o for o in offsets)
    out += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objects) + 1, xref)
    return bytes(out)


SAMPLE_PNG = _png(60, 80, (200, 210, 230))
SAMPLE_PDF = _pdf('Contoh berkas persyaratan APOK')
