"""An officer's queues: tabs as the workflow defines them, counts per layanan, paging and every kind of search."""

import pytest

from apok_ui import services
from apok_ui.queries import workspace as queries
from models import Peran, Tab
from tests.conftest import KEC_B, kecamatan_id, submit


@pytest.fixture
def queue_data(people):
    """Three applications in Batam Kota (one moved on to the Kasi) and one in Sekupang."""
    first = submit(seq=1, nama='Budi Santoso', no_hp='0812-1111-2222', email='budi@contoh.id')
    second = submit(seq=2, kode='SKD', nama="Siti Nur'aini", no_hp='0813 2222 3333', email='siti@contoh.id')
    third = submit(seq=3, nama='Andi Wijaya', no_hp='+62 811-3333-4444', email='andi@contoh.id')
    submit(KEC_B, seq=4, nama='Budi Sekupang')
    services.approve(actor=people.of(Peran.ADMIN).actor, pengurusan_id=third.pengurusan_id, version=1)
    return first, second, third


def kota() -> int:
    return kecamatan_id('Batam Kota')


def test_each_role_sees_its_own_tabs_and_only_its_kecamatan(queue_data):
    admin = queries.tab_counts(kota(), Peran.ADMIN)
    kasi = queries.tab_counts(kota(), Peran.KASI)
    assert (admin[Tab.DATA_BARU], admin[Tab.IN_PROGRESS]) == (2, 1)
    assert (kasi[Tab.DATA_BARU], kasi[Tab.IN_PROGRESS]) == (1, 2)
    assert queries.tab_counts(kecamatan_id(KEC_B), Peran.ADMIN)[Tab.DATA_BARU] == 1


def test_counts_per_layanan_add_up_to_the_tab(queue_data):
    counts = queries.layanan_counts(kota(), Peran.ADMIN, Tab.DATA_BARU)
    assert sorted(counts.values()) == [1, 1] and sum(counts.values()) == 2


def test_data_baru_is_oldest_first_and_paged_on_the_server(people):
    for n in range(5):
        submit(seq=n, nama=f'Pemohon {"ABCDE"[n]}')
    first = queries.queue(kota(), Peran.ADMIN, Tab.DATA_BARU, page=1, page_size=2)
    last = queries.queue(kota(), Peran.ADMIN, Tab.DATA_BARU, page=3, page_size=2)
    assert first.total == 5 and [r.nama for r in first.rows] == ['Pemohon A', 'Pemohon B']
    assert [r.nama for r in last.rows] == ['Pemohon E']


@pytest.mark.parametrize(
    ('term', 'expected'),
    [
        ('budi', ['Budi Santoso']),
        ('SANTO', ['Budi Santoso']),
        ("nur'ai", ["Siti Nur'aini"]),
        ('si', ["Siti Nur'aini"]),
        ('081211112222', ['Budi Santoso']),
        ('6281322223333', ["Siti Nur'aini"]),
        ('+62 812-1111-2222', ['Budi Santoso']),
        ('SITI@contoh.id', ["Siti Nur'aini"]),
        ('tidak ada', []),
    ],
)
def test_search_finds_by_name_part_phone_in_any_form_and_email(queue_data, term, expected):
    page = queries.queue(kota(), Peran.ADMIN, Tab.DATA_BARU, search=term)
    assert [r.nama for r in page.rows] == expected and page.total == len(expected)


def test_search_finds_by_registration_number_and_nik_within_the_tab(queue_data):
    first, _, third = queue_data
    page = queries.queue(kota(), Peran.ADMIN, Tab.DATA_BARU, search=first.nomor_pendaftaran.lower())
    assert [r.id for r in page.rows] == [first.pengurusan_id]
    nik = page.rows[0].nik
    assert [r.id for r in queries.queue(kota(), Peran.ADMIN, Tab.DATA_BARU, search=nik).rows] == [first.pengurusan_id]
    assert queries.queue(kota(), Peran.ADMIN, Tab.DATA_BARU, search=third.nomor_pendaftaran).total == 0
    assert queries.queue(kota(), Peran.ADMIN, Tab.IN_PROGRESS, search=third.nomor_pendaftaran).total == 1


def test_search_stays_within_the_chosen_layanan(queue_data):
    _, second, _ = queue_data
    layanan_id = queries.queue(kota(), Peran.ADMIN, Tab.DATA_BARU, search='siti').rows[0].layanan_id
    other = next(k for k in queries.layanan_counts(kota(), Peran.ADMIN, Tab.DATA_BARU) if k != layanan_id)
    assert queries.queue(kota(), Peran.ADMIN, Tab.DATA_BARU, layanan_id=other, search='siti').total == 0
