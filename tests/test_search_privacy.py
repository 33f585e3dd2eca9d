"""The officer's search (often a NIK or a phone number) never reaches the address bar, and so never the browser's
history or a proxy's log; the tab and the layanan still do, so a reload shows the same queue."""

from __future__ import annotations

from nicegui.functions.navigate import History
from nicegui.testing import User

from apok_ui import db
from models import Pengurusan, Peran
from tests.conftest import submit
from tests.test_workspace import login
from tests.waiting import seen, unseen


class AddressBar(History):
    """The browser's address bar as the page writes it (each address is still sent to the browser)."""

    def __init__(self) -> None:
        self.addresses: list[str] = []

    def push(self, url: str) -> None:
        self.addresses.append(url)
        super().push(url)

    def replace(self, url: str) -> None:
        self.addresses.append(url)
        super().replace(url)


def record_addresses(user: User) -> list[str]:
    """Return the list that collects every address the page writes into the address bar from now on."""
    bar = user.navigate.history = AddressBar()
    return bar.addresses


def nik_of(pengurusan_id: int) -> str:
    with db.get().read() as session:
        return session.get(Pengurusan, pengurusan_id).nik


async def test_a_searched_nik_never_reaches_the_address_bar(user: User, app_people):
    budi = submit(seq=1, nama='Budi Santoso')
    siti = submit(seq=2, nama='Siti Rahayu')
    nik = nik_of(budi.pengurusan_id)
    await login(user, app_people.of(Peran.ADMIN).nip)
    addresses = record_addresses(user)
    user.find(marker='layanan-SKTM').click()
    await seen(user, marker=f'row-{siti.nomor_pendaftaran}')
    user.find(marker='cari').type(nik)
    await unseen(user, marker=f'row-{siti.nomor_pendaftaran}')
    await seen(user, marker=f'row-{budi.nomor_pendaftaran}')
    user.find(marker='cari').clear().type('Rahayu')
    await seen(user, marker=f'row-{siti.nomor_pendaftaran}')
    assert addresses, 'choosing a layanan puts it in the address'
    assert all('cari' not in address and nik not in address and 'Rahayu' not in address for address in addresses)
    assert addresses[-1] == '/admin?tab=baru&layanan=SKTM'


async def test_a_search_term_in_an_old_address_is_not_taken(user: User, app_people):
    budi = submit(seq=1, nama='Budi Santoso')
    siti = submit(seq=2, nama='Siti Rahayu')
    await login(user, app_people.of(Peran.ADMIN).nip)
    await user.open(f'/admin?cari={nik_of(budi.pengurusan_id)}')
    await seen(user, marker=f'row-{siti.nomor_pendaftaran}')
    await seen(user, marker=f'row-{budi.nomor_pendaftaran}')
