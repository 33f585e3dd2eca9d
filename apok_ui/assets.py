"""Where APOK's own read-only files live: print templates, static files and the reference data it ships with."""

from __future__ import annotations

from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parents[1] / 'assets'
REFERENSI_DIR = ASSETS_DIR / 'data'  # Batam's kecamatan and kelurahan, the default layanan
