"""Properties of the identifier rules in models/validasi.py and the form in models/permohonan.py, over any input."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from models import waktu
from models.permohonan import DataPemohon, InvalidForm, clean_field, clean_pemohon
from models.tables import Pengurusan
from models.validasi import (
    KODE_PROVINSI,
    InvalidValue,
    check_nama,
    check_nik,
    check_text,
    nik_birth_date,
    normalize_email,
    normalize_phone,
)

TODAY = date(2026, 11, 29)
ASCII_DIGITS = re.compile(r'[0-9]+')
anything = (
    st.text(max_size=300)
    | st.text(st.characters(codec='utf-8'), max_size=40)
    | st.sampled_from(
        [
            '',
            ' ',
            '\n',
            '\x00',
            '٠١٢٣٤٥٦٧٨٩٠١٢٣٤٥',
            '１２３４５６７８９０１２３４５６',
            '²³',
            '\ud800',
            '1234567890123456\n',
        ]
    )
)


@st.composite
def niks(draw) -> tuple[str, date, bool]:
    """Return a plausible NIK with the birth date and sex it encodes."""
    province = draw(st.sampled_from(sorted(KODE_PROVINSI)))
    regency, district = draw(st.integers(1, 99)), draw(st.integers(1, 99))
    born = draw(st.dates(min_value=TODAY - timedelta(days=99 * 365), max_value=TODAY))
    female = draw(st.booleans())
    seq = draw(st.integers(1, 9999))
    day = born.day + 40 if female else born.day
    return f'{province:02d}{regency:02d}{district:02d}{day:02d}{born:%m%y}{seq:04d}', born, female


@given(niks())
def test_every_plausible_nik_is_accepted_and_tells_its_birth_date(case) -> None:
    nik, born, _ = case
    assert check_nik(nik, today=TODAY) == nik
    assert nik_birth_date(nik, today=TODAY) == born


@given(niks(), st.lists(st.integers(0, 16), max_size=4))
def test_spaces_inside_a_nik_do_not_matter(case, cuts) -> None:
    nik = case[0]
    spaced = nik
    for cut in sorted(cuts, reverse=True):
        spaced = spaced[:cut] + ' ' + spaced[cut:]
    assert check_nik(spaced, today=TODAY) == nik


@given(anything)
@example('2171011708900001\n')
@example('٢١٧١٠١١٧٠٨٩٠٠٠٠١')
def test_any_text_gives_a_valid_nik_or_a_message(text: str) -> None:
    try:
        nik = check_nik(text, today=TODAY)
    except InvalidValue as error:
        assert str(error).startswith(('NIK', 'Kode wilayah', 'Tanggal lahir', 'Nomor urut'))
        return
    assert len(nik) == 16 and ASCII_DIGITS.fullmatch(nik)
    assert int(nik[:2]) in KODE_PROVINSI and nik[12:] != '0000'
    born = nik_birth_date(nik, today=TODAY)
    assert born is not None and born <= TODAY


@given(st.from_regex(r'[0-9]{16}', fullmatch=True))
def test_the_birth_date_of_a_nik_is_never_in_the_future(nik: str) -> None:
    born = nik_birth_date(nik, today=TODAY)
    assert born is None or TODAY - timedelta(days=100 * 366) < born <= TODAY


@st.composite
def phones(draw) -> tuple[str, str]:
    """Return a mobile number written some way a person writes it, and its +62 form."""
    # Real operators' prefixes (Telkomsel 811–813, 821–823, 851–853; Indosat 814–816, 855–858; XL 817–819, 859,
    # 877–878; Axis 831–838; Smartfren 881–889; Tri 895–899), then 6 to 9 digits, as phonenumbers knows them.
    operator = draw(st.sampled_from(['811', '812', '813', '814', '821', '822', '831', '838', '852', '857', '859']))
    rest = operator + draw(st.from_regex(r'[0-9]{6,9}', fullmatch=True))
    prefix = draw(st.sampled_from(['0', '62', '+62', '+62 ', '(+62) ']))
    separator = draw(st.sampled_from(['', ' ', '-', '.']))
    written = separator.join(rest[i : i + 4] for i in range(0, len(rest), 4))
    return prefix + written, '+62' + rest


@given(phones())
def test_every_way_of_writing_a_mobile_number_normalises_to_plus_62(case) -> None:
    written, expected = case
    assert normalize_phone(written) == expected
    assert normalize_phone(expected) == expected


@given(anything)
@example('+62 ٨١٢٣٤٥٦٧٨٩')
def test_any_text_gives_a_normal_phone_number_or_a_message(text: str) -> None:
    try:
        phone = normalize_phone(text)
    except InvalidValue as error:
        assert 'Nomor HP' in str(error)
        return
    assert phone.startswith('+628') and ASCII_DIGITS.fullmatch(phone[1:])
    assert len(phone) <= Pengurusan.model_fields['no_hp'].metadata[0].max_length
    assert normalize_phone(phone) == phone


LOCAL = st.from_regex(r'[A-Za-z0-9_%+\-]{1,20}(\.[A-Za-z0-9_%+\-]{1,20}){0,2}', fullmatch=True)
DOMAIN = st.from_regex(r'([A-Za-z0-9]([A-Za-z0-9\-]{0,10}[A-Za-z0-9])?\.){1,3}[A-Za-z]{2,6}', fullmatch=True)


@given(LOCAL, DOMAIN)
def test_every_ordinary_email_is_accepted_in_lower_case(local: str, domain: str) -> None:
    email = normalize_email(f'  {local}@{domain} ')
    assert email == f'{local}@{domain}'.lower()
    assert normalize_email(email) == email


@given(anything)
@example('budi..santoso@contoh.id')
@example('.budi@contoh.id')
@example('budi@-contoh.id')
@example('budi@contoh.id\n')
def test_any_text_gives_a_plain_email_or_a_message(text: str) -> None:
    try:
        email = normalize_email(text)
    except InvalidValue as error:
        assert 'email' in str(error)
        return
    assert email == email.lower() and email.isascii() and len(email) <= 254
    assert '..' not in email and not email.startswith('.') and email.count('@') == 1
    assert normalize_email(email) == email


NAME_WORD = st.from_regex(r"[A-Za-z][a-z'\-]{0,12}\.?", fullmatch=True)


@given(st.lists(NAME_WORD, min_size=1, max_size=6))
def test_every_ordinary_name_is_accepted_with_single_spaces(words: list[str]) -> None:
    typed = '  '.join(words)
    assume(len(' '.join(words)) >= 2)
    assert check_nama(typed) == ' '.join(words)


@given(anything)
@example('Siti Nur\u2019aini')
@example('Budi\u200bSantoso')
def test_any_text_gives_a_name_that_fits_or_a_message(text: str) -> None:
    for label, width in (('Nama', 100), ('Tempat lahir', 60)):
        try:
            nama = check_nama(text, field=label, max_len=width)
        except InvalidValue as error:
            assert str(error).startswith(label)
            continue
        assert 2 <= len(nama) <= width and '  ' not in nama and nama == nama.strip()
        assert check_nama(nama, field=label, max_len=width) == nama


@given(anything, st.booleans())
def test_free_text_never_holds_characters_a_database_refuses(text: str, multiline: bool) -> None:
    try:
        clean = check_text(text, field='Alamat', max_len=200, multiline=multiline)
    except InvalidValue:
        return
    assert '\x00' not in clean and not any('\ud800' <= c <= '\udfff' for c in clean) and len(clean) <= 200


values = anything | st.none() | st.integers() | st.lists(st.text(max_size=3), max_size=2)


@settings(max_examples=300)
@given(st.fixed_dictionaries({name: values for name in DataPemohon.__dataclass_fields__ if name != 'isian'}))
def test_any_applicant_form_is_cleaned_to_column_sized_values_or_named_field_by_field(raw: dict) -> None:
    spec = [{'kode': 'keperluan', 'label': 'Keperluan', 'jenis': 'teks', 'wajib': True}]
    try:
        clean = clean_pemohon(DataPemohon(**raw, isian={'keperluan': raw['alamat']}), spec, today=TODAY)
    except InvalidForm as error:
        assert error.errors and all(isinstance(m, str) and m for m in error.errors.values())
        return
    for name, info in Pengurusan.model_fields.items():
        if name in raw and isinstance(getattr(clean, name), str):
            limit = next((m.max_length for m in info.metadata if hasattr(m, 'max_length')), None)
            assert limit is None or len(getattr(clean, name)) <= limit, name


@given(st.sampled_from(['rt', 'rw', 'tanggal_lahir', 'jenis_kelamin', 'pekerjaan']), values)
def test_each_field_gives_a_clean_value_or_a_message(name: str, value) -> None:
    try:
        clean_field(name, value, today=TODAY)
    except InvalidValue as error:
        assert str(error)


def test_a_child_born_today_in_batam_is_not_born_in_the_future_before_seven_in_the_morning(monkeypatch):
    monkeypatch.setattr(waktu, 'now', lambda: datetime(2026, 11, 29, 17, 30, tzinfo=UTC))  # 30 November, 00:30 WIB
    assert clean_field('tanggal_lahir', '2026-11-30') == date(2026, 11, 30)
    assert nik_birth_date('2171013011260001') == date(2026, 11, 30)
