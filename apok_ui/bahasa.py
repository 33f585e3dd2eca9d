"""NiceGUI's own texts in Indonesian: the notice a browser shows while its connection to the server is lost."""

from __future__ import annotations

from nicegui.translations import translations

LANGUAGE = 'id'  # ui.run(language=...) picks translations[LANGUAGE]; NiceGUI 3.18 has none for Indonesian
TEXTS = {
    'connection_lost': 'Koneksi terputus.',
    'trying_to_reconnect': 'Menyambung ulang…',
    'message_too_long': 'Pesan terlalu panjang',
    'message_too_long_body': 'Pesan ini terlalu besar untuk dikirim ke server.',
}


def install() -> None:
    """Give NiceGUI the Indonesian texts; a text a later NiceGUI adds stays in English rather than blank."""
    translations[LANGUAGE] = {**translations['en-US'], **translations.get(LANGUAGE, {}), **TEXTS}
