"""The server refuses what the screen may still offer: a stale version (two sessions on one application), an officer
whose role or kecamatan changed while the page was open, an ended session, and berkas outside the kecamatan."""

from __future__ import annotations

from collections.abc import Callable

from nicegui.testing import User
from sqlmodel import select

from apok_ui import db, services
from models import AuditLog, Berkas, Peran, Petugas, Riwayat
from tests.conftest import KEC_B, kecamatan_id, submit
from tests.test_workspace import decide, load, login, open_lihat_data
from tests.waiting import seen, unseen


def change_officer(petugas_id: int, **values: object) -> None:
    """Change an officer's row the way an administrator's edit would leave it (the open page does not know)."""
    with db.get().write() as session:
        petugas = session.get(Petugas, petugas_id)
        for name, value in values.items():
            setattr(petugas, name, value)


def decisions(pengurusan_id: int) -> list[str]:
    with db.get().read() as session:
        rows = session.exec(select(Riwayat).where(Riwayat.pengurusan_id == pengurusan_id)).all()
    return [row.aksi for row in rows]


def berkas_ids(pengurusan_id: int) -> list[int]:
    with db.get().read() as session:
        return [b.id for b in session.exec(select(Berkas).where(Berkas.pengurusan_id == pengurusan_id)).all()]


async def test_when_two_sessions_act_on_one_application_the_second_is_told_and_sees_the_fresh_state(
    user: User, create_user: Callable[[], User], app_people
):
    first = submit(seq=1)
    nip = app_people.of(Peran.ADMIN).nip
    other = create_user()
    await login(user, nip)
    await open_lihat_data(user, first.nomor_pendaftaran)
    await login(other, nip)
    await open_lihat_data(other, first.nomor_pendaftaran)
    # Both officers reach the confirmation before either confirms: the second button is shown, but stale.
    user.find(marker='disetujui').click()
    await seen(user, marker='konfirmasi')
    other.find(marker='keterangan').type('Berkas kurang jelas.')
    other.find(marker='ditolak').click()
    await seen(other, marker='konfirmasi')
    user.find(marker='ya').click()
    await seen(user, f'Pengurusan {first.nomor_pendaftaran} disetujui.')
    other.find(marker='ya').click()
    await seen(other, 'Pengurusan ini sudah diproses petugas lain. Data terbaru sudah ditampilkan.')
    await unseen(other, marker='persetujuan')
    await seen(other, marker='riwayat-disetujui')
    assert decisions(first.pengurusan_id) == ['diajukan', 'disetujui']


async def test_an_officer_whose_role_changed_while_the_page_was_open_is_refused(user: User, app_people):
    first = submit(seq=1)
    services.approve(actor=app_people.of(Peran.ADMIN).actor, pengurusan_id=first.pengurusan_id, version=1)
    kasi = app_people.of(Peran.KASI)
    await login(user, kasi.nip)
    await open_lihat_data(user, first.nomor_pendaftaran)
    change_officer(kasi.actor.petugas_id, peran=Peran.SEKCAM.value)
    await decide(user, 'disetujui')
    await seen(user, 'Pengurusan ini tidak sedang menunggu tindakan Anda.')
    assert decisions(first.pengurusan_id) == ['diajukan', 'disetujui']


async def test_an_officer_moved_to_another_kecamatan_while_the_page_was_open_is_refused(user: User, app_people):
    first = submit(seq=1)
    admin = app_people.of(Peran.ADMIN)
    await login(user, admin.nip)
    await open_lihat_data(user, first.nomor_pendaftaran)
    change_officer(admin.actor.petugas_id, kecamatan_id=kecamatan_id(KEC_B))
    await decide(user, 'disetujui')
    await seen(user, 'Pengurusan ini bukan milik kecamatan Anda.')
    assert load(first.pengurusan_id).version == 1


async def test_an_officer_deactivated_while_the_page_was_open_cannot_decide(user: User, app_people):
    first = submit(seq=1)
    admin = app_people.of(Peran.ADMIN)
    await login(user, admin.nip)
    await open_lihat_data(user, first.nomor_pendaftaran)
    change_officer(admin.actor.petugas_id, aktif=False)
    await decide(user, 'disetujui')
    await seen(user, 'Sesi Anda telah berakhir. Silakan masuk kembali.')
    assert load(first.pengurusan_id).version == 1


async def test_berkas_are_served_inline_to_officers_of_the_kecamatan_with_no_caching(user: User, app_people):
    first = submit(seq=1)
    await login(user, app_people.of(Peran.KASI).nip)
    response = await user.http_client.get(f'/admin/berkas/{berkas_ids(first.pengurusan_id)[0]}')
    assert response.status_code == 200
    assert response.content.startswith(b'%PDF-')
    assert response.headers['content-type'] == 'application/pdf'
    assert response.headers['cache-control'] == 'private, no-store'
    assert response.headers['x-content-type-options'] == 'nosniff'
    assert response.headers['content-disposition'].startswith('inline; filename=')
    with db.get().read() as session:
        views = session.exec(select(AuditLog).where(AuditLog.aksi == 'lihat_berkas')).all()
    assert [v.petugas_id for v in views] == [app_people.of(Peran.KASI).actor.petugas_id]


async def test_berkas_are_refused_to_another_kecamatan_and_to_anyone_logged_out(user: User, app_people):
    first = submit(seq=1)
    url = f'/admin/berkas/{berkas_ids(first.pengurusan_id)[0]}'
    assert (await user.http_client.get(url)).status_code == 401
    await login(user, app_people.of(Peran.ADMIN, KEC_B).nip)
    refused = await user.http_client.get(url)
    assert refused.status_code == 403
    assert b'PDF' not in refused.content
    assert (await user.http_client.get('/admin/berkas/999999')).status_code == 404
