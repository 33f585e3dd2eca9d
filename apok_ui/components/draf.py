"""Drafts kept on the device: what an officer types into a Keterangan or a revision form survives a lost connection
and a reload on a weak island network, and is restored (with a word saying so) when they open it again.

The text lives in the browser's localStorage under the officer and the application. The browser does all of it
itself, so nothing waits for a connection that may be gone: it writes at every keystroke, puts a kept draft back
into the field when the field appears (as if typed: the server hears of it like any typing), and removes it once
sent.
"""

from __future__ import annotations

import json

from nicegui import Client, ui

PREFIX = 'apok-draf'


def key(petugas_id: int, pengurusan_id: int, field: str) -> str:
    """Return the storage key of one field's draft of one officer on one application."""
    return f'{PREFIX}:{petugas_id}:{pengurusan_id}:{field}'


def keep(element: ui.element, storage_key: str, *, note: ui.label | None = None, over: bool = False) -> None:
    """Keep what is typed into the field on the device, and put a kept draft back into it: into an empty field,
    or `over` what it holds (a form that opens with today's data); then show `note`."""
    show_note = f'getHtmlElement({note.id})?.classList.remove("hidden");' if note is not None else ''
    code = f"""(() => {{
      const key = {json.dumps(storage_key)};
      const attach = (tries) => {{
        const root = getHtmlElement({element.id});
        // Quasar hands the id to the <textarea> or <input> itself; other fields hold it inside.
        const field = root && (root.matches('textarea, input') ? root : root.querySelector('textarea, input'));
        if (!field) return tries > 0 && setTimeout(() => attach(tries - 1), 50);
        const kept = localStorage.getItem(key);
        if (kept !== null && kept !== field.value && ({json.dumps(over)} || !field.value.trim())) {{
          field.value = kept;
          field.dispatchEvent(new Event('input', {{bubbles: true}}));
          if (kept.trim()) {{ {show_note} }}
        }}
        field.addEventListener('input', e => localStorage.setItem(key, e.target.value));
      }};
      attach(100);
    }})()"""
    element.client.run_javascript(code)  # it waits in the browser until Vue has drawn the field


def forget(client: Client, *storage_keys: str) -> None:
    """Remove drafts that were sent (or are no longer wanted); through the page's client, since the button that
    sent them may be gone by now."""
    client.run_javascript(f'{json.dumps(list(storage_keys))}.forEach(k => localStorage.removeItem(k))')


def forget_officer(petugas_id: int) -> None:
    """Remove every draft this officer left on this device (at Keluar: a shared tablet keeps no one's typing)."""
    ui.run_javascript(
        f"Object.keys(localStorage).filter(k => k.startsWith('{PREFIX}:{petugas_id}:'))"
        '.forEach(k => localStorage.removeItem(k))'
    )


def restored_note() -> ui.label:
    """Return the (hidden) word that a draft from this device was put back."""
    note = ui.label('Draf dari perangkat ini dipulihkan.').classes('text-xs text-primary').mark('draf-dipulihkan')
    note.set_visibility(False)
    return note
