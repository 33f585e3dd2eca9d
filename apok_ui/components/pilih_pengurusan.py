"""Pilih Pengurusan: 'Semua' and every layanan with a count badge; one row that scrolls sideways inside itself."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from apok_ui.queries.workspace import LayananInfo

CHIP = 'min-h-[44px] shrink-0 rounded-full px-3'
BADGE = 'ml-2 rounded-full px-2 text-xs font-medium leading-5'


class PilihPengurusan:
    """The layanan choices of a tab; a live change moves their counts in place instead of drawing them again."""

    def __init__(
        self,
        layanan: list[LayananInfo],
        counts: dict[int, int],
        selected: int | None,
        on_select: Callable[[int | None], object],
    ) -> None:
        self.layanan = layanan
        self.selected = selected
        self.shown = _shown(layanan, counts)
        self.badges: dict[int | None, ui.label] = {}
        self.active: ui.element | None = None
        self.client = ui.context.client
        with ui.column().classes('w-full gap-1'):
            ui.label('Pilih Pengurusan').classes('text-sm font-semibold text-gray-700')
            with (
                ui.row()
                .classes('w-full gap-2 no-wrap lg:flex-wrap overflow-x-auto pb-1')
                .props('role=tablist aria-label="Pilih Pengurusan"')
            ):
                total = sum(counts.values())
                self.badges[None] = _chip('Semua', total, selected is None, lambda: on_select(None), 'layanan-semua')
                for item in self.shown:
                    self.badges[item.id] = _chip(
                        item.nama,
                        counts.get(item.id, 0),
                        selected == item.id,
                        lambda i=item.id: on_select(i),
                        f'layanan-{item.kode}',
                    )
                self.active = self.badges[selected].parent_slot.parent if selected in self.badges else None

    def reveal(self) -> None:
        """Scroll the row so the chosen chip is in sight (the row is drawn anew, scrolled back to its start)."""
        if self.active is None:
            return
        # Through the client (the tapped chip is gone), once the new chip is on the page (Vue draws it later).
        self.client.run_javascript(f"""(() => {{
          const reveal = (tries) => {{
            const chip = getHtmlElement({self.active.id});
            if (!chip) return tries > 0 && setTimeout(() => reveal(tries - 1), 50);
            chip.scrollIntoView({{inline: 'center', block: 'nearest'}});
          }};
          reveal(40);
        }})()""")

    def fits(self, counts: dict[int, int], selected: int | None) -> bool:
        """Return whether these counts and this choice look the same but for numbers (then `update` suffices)."""
        return selected == self.selected and _shown(self.layanan, counts) == self.shown

    def update(self, counts: dict[int, int]) -> None:
        """Show new counts on the same choices."""
        for layanan_id, badge in self.badges.items():
            badge.set_text(str(sum(counts.values()) if layanan_id is None else counts.get(layanan_id, 0)))


def _shown(layanan: list[LayananInfo], counts: dict[int, int]) -> list[LayananInfo]:
    """Active layanan always, inactive ones only while they still hold applications."""
    return [item for item in layanan if item.aktif or counts.get(item.id)]


def _chip(label: str, count: int, active: bool, handler: Callable[[], object], marker: str) -> ui.label:
    """Show one choice as a rounded button with its count; return the count's label."""
    look = 'unelevated color=primary' if active else 'outline color=primary'
    button = ui.button(label, on_click=handler).props(f'{look} no-caps aria-pressed={str(active).lower()}')
    with button.classes(CHIP + ' whitespace-nowrap').mark(marker):
        look = 'bg-white text-primary' if active else 'bg-primary text-white'
        return ui.label(str(count)).classes(f'{BADGE} {look}')
