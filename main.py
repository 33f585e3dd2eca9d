"""APOK's composition root: settings, database, pages (one line each), and the server."""

import gc
import os
import sys
from collections.abc import Callable
from typing import Any

from nicegui import app, run, ui

from apok_ui import auth, bahasa, cli, data_files, errors_http, events, events_pg, headers, live, shared_reads
from apok_ui.components import page_build, unggah
from apok_ui.config import Settings
from apok_ui.demo import seed_demo_people, seed_in_background
from apok_ui.logging_setup import configure as configure_logging
from apok_ui.notifikasi import kabar, pengirim, tugas
from apok_ui.printing import cetak
from apok_ui.printing import render as printing
from apok_ui.routes import berkas as berkas_route
from apok_ui.routes import kesehatan
from apok_ui.services.petugas import count_petugas
from apok_ui.upload_limit import UploadLimit
from models.sesi import Batas
from pages import (
    administrasi,
    administrasi_kecamatan,
    administrasi_layanan,
    administrasi_layanan_form,
    administrasi_pesan,
    administrasi_petugas,
    administrasi_surat,
    administrasi_templat,
    ajukan,
    audit,
    beranda,
    lacak,
    login,
    monitoring,
    petugas,
    profil,
    verifikasi,
)

SIMULATED = bool(os.environ.get('NICEGUI_USER_SIMULATION'))  # NiceGUI's simulated browser runs this file


# Pages read in worker threads; on a busy machine a read may wait its turn for longer than NiceGUI's default of 3 s,
# after which NiceGUI drops the half-built page with a 500. A slow page is better than a broken one: after 2 s it is
# sent with a notice and finishes over the socket (page_build.patient), so NiceGUI's limit is only a last net.
PAGE_BUILD_SECONDS = 20.0


def _page(path: str) -> Callable[[Callable[..., Any]], Any]:
    return lambda build: ui.page(path, response_timeout=PAGE_BUILD_SECONDS)(page_build.patient(build))


def wire_pages() -> None:
    """Give every screen its route."""
    _page('/login')(login.page)  # /login
    _page('/admin/login')(login.page)  # /admin/login
    app.get(auth.CLAIM_PATH, include_in_schema=False)(auth.claim)  # /login/lanjut?kode=… (the login's cookie hop)
    _page('/admin')(petugas.page)  # /admin
    _page('/admin/profil')(profil.page)  # /admin/profil
    _page('/admin/monitoring')(monitoring.page)  # /admin/monitoring
    app.get('/admin/berkas/{berkas_id}', include_in_schema=False)(berkas_route.serve)  # /admin/berkas/{berkas_id}
    app.get('/healthz', include_in_schema=False)(kesehatan.healthz)  # /healthz (nginx, systemd, monitoring)
    _page('/admin/sistem')(administrasi.page)  # /admin/sistem
    _page('/admin/sistem/petugas')(administrasi_petugas.page)  # /admin/sistem/petugas
    _page('/admin/sistem/layanan')(administrasi_layanan.page)  # /admin/sistem/layanan
    _page('/admin/sistem/layanan/{layanan_id}')(administrasi_layanan_form.page)  # /admin/sistem/layanan/{id|baru}
    _page('/admin/sistem/kecamatan')(administrasi_kecamatan.page)  # /admin/sistem/kecamatan
    _page('/admin/sistem/surat')(administrasi_surat.page)  # /admin/sistem/surat (kop, TTE, nomor surat)
    _page('/admin/sistem/audit')(audit.page)  # /admin/sistem/audit
    _page('/admin/sistem/pesan')(administrasi_pesan.page)  # /admin/sistem/pesan
    _page('/admin/sistem/pesan/templat')(administrasi_templat.page)  # /admin/sistem/pesan/templat?jenis=…
    _page('/')(beranda.page)  # /
    _page('/ajukan/{kode}')(ajukan.page)  # /ajukan/{kode}
    _page('/lacak')(lacak.page)  # /lacak
    _page('/verifikasi/{token:path}')(verifikasi.page)  # /verifikasi/{token} (any odd token gets the calm page)
    app.post(unggah.ROUTE, include_in_schema=False)(unggah.receive)  # /_nicegui/client/{id}/upload/{id} (every upload)


def start(settings: Settings) -> None:
    """Prepare the database and serve APOK."""
    configure_logging(settings.log_level)  # first: everything after logs in one format, at APOK_LOG_LEVEL
    database = cli.open_database(settings)
    data_files.place_storage(settings.data_dir / 'nicegui')  # beside APOK's data, not in the working directory
    bahasa.install()  # NiceGUI's own texts (the reconnect notice) in Indonesian
    errors_http.install()  # errors as Indonesian pages and lines, never an exception
    events.install()  # every committed change, from any process, reaches this process's pages once, in order
    events_pg.install(database.engine)  # with PostgreSQL, other processes' commits wake this one at once
    pengirim.install(settings)  # the message queue goes out over SMTP / the WhatsApp gateway, from any process
    tugas.install()  # committed changes become citizens' messages, and away officers get digests
    shared_reads.install()  # open pages of a kecamatan share their reads between two changes
    live.install()  # one subscriber per process fans changes out to the open pages (after shared_reads)
    if settings.demo and not count_petugas():
        print(
            'APOK: data demo diisi di latar belakang (hanya saat pertama); login demo sudah bisa dipakai.', flush=True
        )
        seed_demo_people()
        # The applications in a thread that prints its progress, once the server is up (so its start does not share
        # the interpreter with the seeding).
        app.on_startup(seed_in_background)
    if settings.demo:
        cli.print_demo_logins(address=settings.base_url)  # the address this server is reached at, its port included
    auth.configure(
        Batas(diam=settings.session_idle_minutes * 60, usia=settings.session_max_hours * 3600),
        https=settings.base_url.startswith('https://'),
    )
    cetak.configure(settings.base_url)
    kabar.configure(settings.base_url)  # the links in messages
    app.on_startup(printing.warm_up_soon)  # WeasyPrint is imported beside the first requests, not before them
    if not settings.development:  # spare developers' and the test servers' cores; production prints at once
        app.on_startup(printing.warm_up_workers)
    run.process_pool_start_method = 'spawn'  # forking a process that already runs threads can deadlock
    app.add_static_files('/static', 'assets/static')
    app.add_middleware(UploadLimit, max_bytes=settings.max_upload_bytes)  # before NiceGUI spools a body to disk
    headers.install(app, https=settings.base_url.startswith('https://'))  # outside UploadLimit: its 413 gets them too
    wire_pages()
    # With dozens of officer pages open, Python's full collections paused the event loop for up to 0.7 s; fewer of
    # them keep page builds under 150 ms p95 (docs/BENCHMARKS.md) at the price of cyclic garbage living longer.
    if not SIMULATED:  # the test suite re-runs this file per test: frozen objects would pile up there
        gc.freeze()
        gc.set_threshold(50_000, 20, 10)
    secret = settings.resolve_storage_secret()  # a missing or weak secret stops the start here, in one line
    cli.warn_at_start(settings)  # e.g. a production server whose letters' QR codes would point at itself
    ui.run(
        host=settings.host,
        port=settings.port,
        title='APOK',
        language='id',
        storage_secret=secret,
        reconnect_timeout=settings.reconnect_timeout,
        session_middleware_kwargs={
            'max_age': 12 * 3600,
            'same_site': 'lax',
            'https_only': settings.base_url.startswith('https://'),
        },
        show=False,
        reload=False,
        show_welcome_message=False,
        log_config=None,  # uvicorn's records go through logging_setup's one handler and format
        favicon='🏛️',
    )


if __name__ == '__main__':
    if SIMULATED:
        start(Settings.from_env())  # the test suite's simulated browser runs this file
    else:
        sys.exit(cli.main(sys.argv[1:], serve=start))
