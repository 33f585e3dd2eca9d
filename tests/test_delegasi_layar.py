"""The Camat records a delegation from Profil Petugas (the superadmin from Surat Digital): a.n. Camat for the
Sekretaris Camat over a period; a wrong choice is named beside its field."""

from __future__ import annotations

from nicegui.testing import User
from sqlmodel import select

from apok_ui import db
from models import Peran
from models.surat import Delegasi
from tests.test_kabar_layar import choose_option, error_of
from tests.test_workspace import login
from tests.waiting import seen, unseen, until


def delegations() -> list[Delegasi]:
    with db.get().read() as session:
        return list(session.exec(select(Delegasi)).all())


async def open_profil(user: User, nip: str) -> None:
    await login(user, nip)
    user.find(marker='tab-profil').click()
    await seen(user, marker='catat-delegasi')


async def test_the_camat_records_an_an_delegation_for_the_sekcam_in_profil_petugas(user: User, app_people) -> None:
    await open_profil(user, app_people.of(Peran.CAMAT).nip)
    choose_option(user, 'isian-delegasi-petugas_id', 'Petugas Sekcam A (Sekretaris Camat)')
    user.find(marker='isian-delegasi-mulai').clear().type('01/12/2026')
    user.find(marker='isian-delegasi-sampai').clear().type('05/12/2026')
    user.find(marker='catat-delegasi').click()
    await seen(user, 'Delegasi dicatat.')
    [row] = delegations()
    assert (row.jenis, row.petugas_id, str(row.mulai), str(row.sampai)) == (
        'an',
        app_people.of(Peran.SEKCAM).actor.petugas_id,
        '2026-12-01',
        '2026-12-05',
    )
    await seen(user, 'Petugas Sekcam A, 1 Desember 2026 s.d. 5 Desember 2026')


async def test_an_an_delegation_to_the_kasi_is_named_beside_the_officer(user: User, app_people) -> None:
    await open_profil(user, app_people.of(Peran.CAMAT).nip)
    choose_option(user, 'isian-delegasi-petugas_id', 'Petugas Kasi A (Kasi Kecamatan)')
    user.find(marker='catat-delegasi').click()
    await until(lambda: error_of(user, 'isian-delegasi-petugas_id') == 'Pilih Sekretaris Camat.')
    assert delegations() == []


async def test_other_officers_see_no_delegation_card(user: User, app_people) -> None:
    await login(user, app_people.of(Peran.SEKCAM).nip)
    user.find(marker='tab-profil').click()
    await seen(user, marker='simpan-kabar')
    await unseen(user, marker='catat-delegasi')
