"""The audit log names what it is about as people know it (issue 16 #13): an application by its Nomor Pendaftaran
and the applicant's masked name, an officer by name and NIP, on screen and in the CSV; and it filters by number."""

from __future__ import annotations

from nicegui.testing import User

from apok_ui.queries import admin as queries_admin
from apok_ui.queries.admin import AuditFilter
from apok_ui.services import administrasi as admin
from apok_ui.services.audit import record_view
from models import Peran
from tests.conftest import PASSWORD, submit
from tests.waiting import seen, unseen


async def login_superadmin(user: User, people) -> None:
    await user.open('/login')
    user.find('Username').type(people.of(Peran.SUPERADMIN).nip)
    user.find('Password').type(PASSWORD)
    user.find('Masuk').click()
    await seen(user, 'Administrasi Sistem')


def test_audit_rows_name_the_application_and_the_officer_instead_of_internal_ids(app_people):
    first, second = submit(seq=1, nama='Budi Santoso'), submit(seq=2, nama='Siti Rahayu')
    admin_kota = app_people.of(Peran.ADMIN)
    record_view(admin_kota.actor, first.pengurusan_id)
    record_view(admin_kota.actor, second.pengurusan_id)
    admin.reset_password(
        actor=app_people.of(Peran.SUPERADMIN).actor, petugas_id=app_people.of(Peran.KASI).actor.petugas_id
    )
    rows = queries_admin.audit_list(AuditFilter(nomor=first.nomor_pendaftaran.lower())).rows
    assert [(r.aksi, r.objek_label) for r in rows] == [('lihat_data', f'{first.nomor_pendaftaran} · B*** S******')]
    [reset] = queries_admin.audit_list(AuditFilter(aksi='reset_password')).rows
    assert reset.objek_label == 'Petugas Kasi A (NIP 19850101 201001 1 002)'
    csv = queries_admin.audit_csv(AuditFilter(nomor=second.nomor_pendaftaran)).decode('utf-8-sig')
    assert f'{second.nomor_pendaftaran} · S*** R*****' in csv and 'Budi' not in csv and 'B*** S******' not in csv
    assert queries_admin.audit_list(AuditFilter(nomor='BTK-0000-99999')).total == 0


async def test_the_superadmin_filters_the_audit_log_by_nomor_pendaftaran(user: User, app_people):
    first, second = submit(seq=1, nama='Budi Santoso'), submit(seq=2, nama='Siti Rahayu')
    for application in (first, second):
        record_view(app_people.of(Peran.ADMIN).actor, application.pengurusan_id)
    await login_superadmin(user, app_people)
    await user.open('/admin/sistem/audit')
    await seen(user, f'{second.nomor_pendaftaran} · S*** R*****')
    user.find(marker='saring-nomor').type(first.nomor_pendaftaran)
    await seen(user, content='1 catatan')
    await seen(user, f'{first.nomor_pendaftaran} · B*** S******')
    await unseen(user, f'{second.nomor_pendaftaran} · S*** R*****')
    await unseen(user, 'pengurusan:')
