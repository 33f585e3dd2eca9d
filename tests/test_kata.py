"""Words a user can meet (issue 16 #9): Indonesian, numbers with a decimal comma, rules in a clerk's words."""

from __future__ import annotations

from apok_ui import bahasa
from apok_ui.components.tanggal_input import tampil
from apok_ui.security import PASSWORD_POLICY, password_problem
from models.waktu import parse_tanggal
from pages.monitoring import _lama


def test_a_median_reads_with_a_decimal_comma():
    assert (_lama(3.0), _lama(1.25), _lama(60)) == ('3,0 jam', '1,2 jam', '2,5 hari')


def test_the_password_rule_speaks_of_characters_not_bytes():
    assert 'byte' not in PASSWORD_POLICY and '8 sampai 72 karakter' in PASSWORD_POLICY
    assert 'byte' not in password_problem('é' * 37 + '1')


def test_dates_are_shown_and_read_as_dd_mm_yyyy():
    assert tampil('1990-08-17') == '17/08/1990' and tampil('') == ''
    assert parse_tanggal('17/08/1990') == parse_tanggal('1990-08-17') == parse_tanggal('17-8-1990')


def test_nicegui_s_reconnect_notice_is_indonesian():
    bahasa.install()
    from nicegui.translations import translations

    assert translations[bahasa.LANGUAGE]['connection_lost'] == 'Koneksi terputus.'
