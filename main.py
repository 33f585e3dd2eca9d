"""APOK's composition root: settings, database, pages (one line each), and the server."""

import os
import sys

from nicegui import app, ui

from apok_ui import auth, cli
from apok_ui.config import Settings
from apok_ui.demo import seed_demo
from apok_ui.services.petugas import count_petugas
from pages import login, petugas


def wire_pages() -> None:
    """Give every screen its route."""
    ui.page('/login')(login.page)  # /login
    ui.page('/admin/login')(login.page)  # /admin/login
    ui.page('/admin')(petugas.page)  # /admin
    ui.page('/')(lambda: ui.navigate.to('/login'))  # / (the citizen portal replaces this)


def start(settings: Settings) -> None:
    """Prepare the database and serve APOK."""
    cli.open_database(settings)
    if settings.demo and not count_petugas():
        print('APOK: seeding demo data (first start only, about 20 s)…', flush=True)
        seed_demo()
    if settings.demo:
        cli.print_demo_logins()
    auth.configure(settings.session_idle_minutes)
    app.add_static_files('/static', 'assets/static')
    wire_pages()
    ui.run(
        host=settings.host,
        port=settings.port,
        title='APOK',
        language='id',
        storage_secret=settings.resolve_storage_secret(),
        reconnect_timeout=settings.reconnect_timeout,
        session_middleware_kwargs={
            'max_age': 12 * 3600,
            'same_site': 'lax',
            'https_only': settings.base_url.startswith('https://'),
        },
        show=False,
        reload=False,
        show_welcome_message=False,
        favicon='🏛️',
    )


if __name__ == '__main__':
    if os.environ.get('NICEGUI_USER_SIMULATION'):
        start(Settings.from_env())  # the test suite's simulated browser runs this file
    else:
        sys.exit(cli.main(sys.argv[1:], serve=start))
