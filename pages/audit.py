"""Log Audit (superadmin): logins, logouts, password and data changes, every view of personal data; CSV export."""

from __future__ import annotations

from dataclasses import dataclass, replace

from nicegui import run, ui
from starlette.responses import RedirectResponse

from apok_ui import auth, theme
from apok_ui.components.admin_frame import admin_frame
from apok_ui.components.aksi import busy
from apok_ui.components.guard import officer_page, still_allowed
from apok_ui.components.read_view import ReadView
from apok_ui.components.tanggal_input import tanggal_input
from apok_ui.queries import admin as queries_admin
from apok_ui.queries.admin import AuditFilter, AuditRow, Halaman
from apok_ui.queries.workspace import Officer
from apok_ui.services import ServiceError
from apok_ui.services import administrasi as admin
from models.akses import Kelola
from models.waktu import format_waktu, parse_tanggal

SEMUA = 'semua'


@dataclass(frozen=True)
class Pilihan:
    """What the filters offer: the officers, the kinds of entry and the kecamatan."""

    petugas: dict[int, str]
    aksi: dict[str, str]
    kecamatan: dict[int, str]


def read_pilihan() -> Pilihan:
    """Return what the filters offer (three reads; call it in a worker)."""
    return Pilihan(
        queries_admin.petugas_options(), queries_admin.audit_aksi_options(), queries_admin.kecamatan_options()
    )


async def page() -> RedirectResponse | None:
    """Show the audit log, newest first, with its filters and the CSV export."""
    officer = await officer_page(Kelola.AUDIT)
    if not isinstance(officer, Officer):
        return officer
    state = {'filter': AuditFilter(), 'page': 1}
    pilihan = await run.io_bound(read_pilihan)
    with admin_frame(officer, Kelola.AUDIT):
        with ui.row().classes('w-full items-end gap-2'):
            _select('Petugas', pilihan.petugas, 'petugas_id', state, lambda: reload(), search=True)
            _select('Aksi', pilihan.aksi, 'aksi', state, lambda: reload())
            _select('Kecamatan', pilihan.kecamatan, 'kecamatan_id', state, lambda: reload())
            ui.input('Nomor Pendaftaran', on_change=lambda e: set_nomor(e.value)).props(
                'outlined clearable debounce=400 placeholder="BTK-2611-00042"'
            ).classes('w-52').mark('saring-nomor')
            for name, label in (('dari', 'Dari tanggal'), ('sampai', 'Sampai tanggal')):
                tanggal_input(label, on_change=lambda e, n=name: set_date(n, e.value)).classes('w-48').mark(
                    f'saring-{name}'
                )
            export = ui.button('Ekspor CSV', icon='download', on_click=lambda: download()).props('outline no-caps')
            export.classes(theme.TAP).mark('ekspor')

        def draw(halaman: Halaman[AuditRow]) -> None:
            ui.label(f'{halaman.total} catatan').classes('text-sm text-gray-600').mark('jumlah-audit')
            with ui.column().classes('w-full gap-1'):
                for row in halaman.rows:
                    _row(row)
            pages = max(1, -(-halaman.total // halaman.page_size))
            if pages > 1:
                ui.pagination(1, pages, direction_links=True, value=halaman.page, on_change=lambda e: go(e.value))

        async def reload() -> None:
            state['page'] = 1
            if await still_allowed(Kelola.AUDIT, officer):
                await daftar.show()

        async def go(value: int) -> None:
            state['page'] = value
            if await still_allowed(Kelola.AUDIT, officer):
                await daftar.show()

        async def set_nomor(value: str | None) -> None:
            state['filter'] = replace(state['filter'], nomor=(value or '').strip() or None)
            await reload()

        async def set_date(name: str, value: str | None) -> None:
            try:
                day = parse_tanggal(value) if value else None
            except ValueError:
                return  # still being typed
            state['filter'] = replace(state['filter'], **{name: day})
            await reload()

        async def download() -> None:
            with busy(export):
                ok = await guarded_export(officer, state['filter'])
                if not ok:
                    return
                content = await run.io_bound(queries_admin.audit_csv, state['filter'])
            ui.download.content(content, queries_admin.audit_csv_name(), 'text/csv')

        daftar = ReadView(lambda: queries_admin.audit_list(state['filter'], page=state['page']), draw)
        await daftar.show()
    return None


async def guarded_export(officer: Officer, filter: AuditFilter) -> bool:
    """Check the administrator again and record the export itself in the audit log."""
    detail = ', '.join(f'{k}={v}' for k, v in vars(filter).items() if v is not None)
    try:
        await run.io_bound(
            admin.authorize,
            actor=auth.actor(officer),
            kelola=Kelola.AUDIT,
            catat='audit_ekspor',
            objek=f'audit:{detail}'[:80],
            ip=auth.client_ip(),
        )
    except ServiceError as refused:
        ui.notify(str(refused), type='negative', multi_line=True)
        return False
    return True


def _select(label: str, options: dict, name: str, state: dict, changed, *, search: bool = False) -> ui.select:
    async def change(e) -> None:
        state['filter'] = replace(state['filter'], **{name: None if e.value == SEMUA else e.value})
        await changed()

    return (
        ui.select(
            {SEMUA: f'Semua {label.lower()}', **options}, label=label, value=SEMUA, on_change=change, with_input=search
        )
        .props('outlined')
        .classes('min-w-[180px]')
        .mark(f'saring-{name}')
    )


def _row(row: AuditRow) -> None:
    color = 'text-negative' if row.aksi in ('akses_ditolak', 'login_gagal', 'login_terkunci') else ''
    with ui.card().classes('w-full px-3 py-2 gap-0').props('flat bordered').mark(f'audit-{row.id}'):
        with ui.row().classes('w-full items-center justify-between gap-2'):
            ui.label(row.aksi_label).classes(f'font-medium {color}')
            ui.label(format_waktu(row.waktu)).classes('text-sm text-gray-600')
        who = f'{row.petugas_nama} ({row.nip})' if row.petugas_nama else row.nip or 'Sistem'
        place = f' · {row.kecamatan_nama}' if row.kecamatan_nama else ''
        ip = f' · IP {row.ip}' if row.ip else ''
        ui.label(f'{who}{place}{ip}').classes('text-sm')
        if row.objek or row.detail:
            text = ' · '.join(x for x in (row.objek_label, row.detail) if x)
            ui.label(text).classes('text-sm text-gray-600 break-words').mark(f'objek-{row.id}')
