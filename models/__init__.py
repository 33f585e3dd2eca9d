"""APOK's domain: tables, the workflow table and the rules on identifiers. No I/O."""

from models.surat import Delegasi, Pengaturan, Sertifikat, Surat
from models.tables import AuditLog, Berkas, Kecamatan, Kelurahan, Layanan, Pengurusan, Penomoran, Petugas, Riwayat, Sesi
from models.workflow import Aksi, Peran, Posisi, Status, Tab

__all__ = [
    'Aksi',
    'AuditLog',
    'Berkas',
    'Delegasi',
    'Kecamatan',
    'Kelurahan',
    'Layanan',
    'Pengurusan',
    'Pengaturan',
    'Penomoran',
    'Peran',
    'Petugas',
    'Posisi',
    'Riwayat',
    'Sertifikat',
    'Sesi',
    'Status',
    'Surat',
    'Tab',
]
