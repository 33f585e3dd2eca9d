"""APOK's files are the kecamatan's personal data: readable by the service's own user only, all under APOK_DATA_DIR."""

from __future__ import annotations

import os
from pathlib import Path

from nicegui import app
from nicegui.storage import Storage

PRIVATE = 0o077  # umask: files 0600, folders 0700


def keep_private() -> None:
    """Create every file of this process (database, berkas, backups, session files) for its own user only."""
    os.umask(PRIVATE)


def place_storage(folder: Path) -> None:
    """Keep NiceGUI's storage files (one per browser) in folder instead of ./.nicegui in the working directory.

    NiceGUI reads NICEGUI_STORAGE_PATH when it is imported and opens its general storage then; so the path is set
    and the storage built again here, before the server starts (as NiceGUI's own test set-up does). The variable is
    set too, for the worker processes NiceGUI starts: they import it afresh.
    """
    folder.mkdir(parents=True, exist_ok=True)
    os.environ['NICEGUI_STORAGE_PATH'] = str(folder)
    Storage.path = folder.resolve()
    app.storage = Storage()
    app.storage.general.initialize_sync()
