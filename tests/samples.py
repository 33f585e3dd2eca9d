"""Sample data for tests and benchmarks: a valid applicant, and realistic letters of every default layanan.

Kept out of the app package: nothing in APOK itself prints a sample. bench/ imports it too (run from the project root).
"""

from __future__ import annotations

import io
from datetime import date

from apok_ui.printing.render import SuratData
from apok_ui.printing.templates import template_for
from models.permohonan import DataPemohon


def sample_pemohon(nik: str, *, nama: str = 'Budi Santoso', **overrides: str) -> DataPemohon:
    """Return a valid applicant born 17 Aug 1990 in Batam (tests and benchmarks; `overrides` replace fields)."""
    values = dict(
        nik=nik,
        nama=nama,
        tempat_lahir='Batam',
        tanggal_lahir='1990-08-17',
        jenis_kelamin='Laki-laki',
        agama='Islam',
        pekerjaan='Wiraswasta',
        status_perkawinan='Kawin',
        alamat='Jl. Engku Putri No. 1',
        rt='1',
        rw='2',
        no_hp='0812-3456-7890',
        email='budi@contoh.id',
    )
    values.update(overrides)
    return DataPemohon(**values, isian={})


CONTOH_ISIAN = {
    'AK1': (
        ('Pendidikan terakhir', 'SMA/SMK'),
        ('Jurusan', 'Teknik Elektronika'),
        ('Tahun lulus', '2024'),
        ('Keahlian', 'Perakitan elektronik, operator mesin SMT'),
    ),
    'SKTM': (
        ('Keperluan', 'Keringanan biaya pendidikan anak di SMP Negeri 10 Batam'),
        ('Penghasilan per bulan (Rp)', '1.800.000'),
    ),
    'SKD': (
        ('Alamat domisili', 'Perumahan Taman Raya Tahap II Blok C No. 12, Belian'),
        ('Lama tinggal (tahun)', '6'),
        ('Keperluan', 'Persyaratan pembukaan rekening bank'),
    ),
    'SKAW': (
        ('Nama pewaris', 'H. Abdul Rahman bin Yusuf'),
        ('Tanggal meninggal', '3 Agustus 2026'),
        ('Daftar ahli waris', '1. Siti Aminah (istri)\n2. Muhammad Rizki (anak)\n3. Nurul Hidayah (anak)'),
    ),
    'RNK': (
        ('Nama calon pasangan', 'Dewi Lestari'),
        ('Tanggal rencana nikah', '14 Februari 2027'),
        ('Alasan dispensasi', '-'),
    ),
    'SKP': (
        ('Alamat tujuan', 'Jl. Sudirman No. 45, Kel. Sukajadi'),
        ('Kabupaten/kota tujuan', 'Kota Pekanbaru'),
        ('Alasan pindah', 'Pekerjaan'),
        ('Jumlah anggota keluarga yang pindah', '3'),
    ),
    'IUMK': (
        ('Nama usaha', 'Warung Makan Barokah'),
        ('Bidang usaha', 'Kuliner / rumah makan'),
        ('Alamat usaha', 'Ruko Mega Legenda Blok B2 No. 8, Baloi Permai'),
        ('Modal usaha (Rp)', '25.000.000'),
    ),
    'RIK': (
        ('Nama kegiatan', 'Resepsi pernikahan'),
        ('Tanggal kegiatan', '20 Desember 2026'),
        ('Tempat kegiatan', 'Lapangan RW 05 Kelurahan Teluk Tering'),
        ('Perkiraan jumlah tamu', '500'),
        ('Hiburan', 'Organ tunggal, sampai pukul 22.00 WIB'),
    ),
}
"""Realistic extra fields per layanan, for tests, the benchmark and the sample images in docs/letters/."""

NAMA_LAYANAN = {
    'AK1': 'Kartu Pencari Kerja (AK/I)',
    'SKTM': 'Surat Keterangan Tidak Mampu',
    'SKD': 'Surat Keterangan Domisili',
    'SKAW': 'Surat Keterangan Ahli Waris',
    'RNK': 'Rekomendasi Nikah / Dispensasi Nikah',
    'SKP': 'Surat Keterangan Pindah',
    'IUMK': 'Izin Usaha Mikro Kecil (IUMK)',
    'RIK': 'Rekomendasi Izin Keramaian',
}


def contoh_pemohon(nama: str = 'Budi Santoso') -> tuple[tuple[str, str], ...]:
    """Return the applicant rows of a made-up resident of Batam Kota."""
    return (
        ('Nama', nama),
        ('NIK', '2171010101900003'),
        ('Tempat/Tgl Lahir', 'Tanjungpinang, 1 Januari 1990'),
        ('Jenis Kelamin', 'Laki-laki'),
        ('Agama', 'Islam'),
        ('Pekerjaan', 'Karyawan Swasta'),
        ('Status Perkawinan', 'Kawin'),
        ('Alamat', 'Perumahan Taman Raya Tahap II Blok C No. 12, RT 002/RW 008, Kel. Belian'),
    )


def contoh_pas_foto() -> bytes:
    """Return a small PNG portrait placeholder: a plain silhouette on the red background of Indonesian ID photos."""
    from PIL import Image, ImageDraw  # only the samples need Pillow here; WeasyPrint already depends on it

    foto = Image.new('RGB', (300, 400), (190, 30, 45))
    gambar = ImageDraw.Draw(foto)
    gambar.ellipse((95, 70, 205, 200), fill=(235, 210, 185))
    gambar.pieslice((35, 210, 265, 470), 180, 360, fill=(40, 40, 60))
    buffer = io.BytesIO()
    foto.save(buffer, format='PNG')
    return buffer.getvalue()


def contoh_surat(layanan_kode: str, /, **ubah: object) -> SuratData:
    """Return a realistic sample letter of a layanan from Kecamatan Batam Kota; keyword arguments replace fields."""
    kode = layanan_kode.upper()
    klasifikasi = {'AK1': '560', 'SKTM': '400', 'SKAW': '474', 'RNK': '474.2', 'IUMK': '503', 'RIK': '300'}
    urut = list(NAMA_LAYANAN).index(kode) + 7
    nilai: dict[str, object] = {
        'layanan_kode': kode,
        'layanan_nama': NAMA_LAYANAN[kode],
        'template': template_for(kode),
        'ukuran_kertas': 'A4',
        'kota': 'Batam',
        'provinsi': 'Kepulauan Riau',
        'kecamatan_nama': 'Batam Kota',
        'kecamatan_alamat': 'Jl. Raja Isa, Batam Centre, Batam 29461 · Telp. (0778) 460000',
        'nomor_surat': f'{klasifikasi.get(kode, "470")}/{urut:03d}/BTK/XI/2026',
        'nomor_pendaftaran': f'BTK-2611-{urut:05d}',  # the form of models.validasi.NOMOR_PENDAFTARAN_RE
        'tanggal_surat': date(2026, 11, 29),
        'pemohon': contoh_pemohon(),
        'isian': CONTOH_ISIAN[kode],
        'penandatangan_nama': 'Drs. Ahmad Fauzi, M.Si.',
        'penandatangan_nip': '19750812 199803 1 004',
        'penandatangan_jabatan': 'Camat Batam Kota',
        'verifikasi_url': f'https://apok.batam.example/verifikasi/Q7vX2kLm9pR4tW8zA3nB5cD{urut:02d}',
        'pas_foto': contoh_pas_foto() if kode == 'AK1' else None,
    }
    nilai.update(ubah)
    return SuratData(**nilai)  # type: ignore[arg-type]
