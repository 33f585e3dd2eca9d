"""A date field that reads dd/mm/yyyy whatever the phone's language: typed with a mask, or picked in a calendar.

A plain `type=date` input shows the browser's format (mm/dd/yyyy on an English phone); this one always shows
'17/08/1990', the way Indonesian forms write dates, and its calendar speaks Indonesian (ui.run language='id').
It is a text input with a calendar beside it (not ui.date_input), so it takes an error and typing like every field.
"""

from __future__ import annotations

from datetime import date

from nicegui import ui

from models.waktu import parse_tanggal

FORMAT = 'DD/MM/YYYY'  # Quasar's date mask: what the field holds and the calendar writes
HINT = 'hh/bb/tttt'


def tanggal_input(label: str, value: str | date | None = '', *, on_change=None) -> ui.input:
    """Return an outlined date field holding 'dd/mm/yyyy' (an ISO date given as value is shown that way)."""
    field = ui.input(label, value=tampil(value), on_change=on_change)
    field.props(f'outlined stack-label mask="##/##/####" inputmode=numeric placeholder="{HINT}" hint="{HINT}"')
    with field.add_slot('append'), ui.button(icon='edit_calendar').props('flat round') as button:
        button.props('aria-label="Pilih tanggal"').classes('min-w-[44px] min-h-[44px]').mark('pilih-tanggal')
        with ui.menu() as menu:
            picker = ui.date(mask=FORMAT).props('first-day-of-week=1').bind_value(field)
            picker.on_value_change(menu.close)
    return field


def tampil(value: str | date | None) -> str:
    """Return a date as the field shows it ('1990-08-17' and date(1990, 8, 17) are '17/08/1990'); odd text stays."""
    if isinstance(value, date):
        return f'{value:%d/%m/%Y}'
    try:
        return f'{parse_tanggal(value):%d/%m/%Y}' if value else ''
    except ValueError:
        return str(value)
