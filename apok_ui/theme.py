"""Colours and class fragments of APOK's screens; nowhere else."""

PRIMARY = '#0b5394'  # Batam blue
SECONDARY = '#1c7c54'
ACCENT = '#f1c232'
POSITIVE = '#2e7d32'
NEGATIVE = '#c62828'
WARNING = '#ef6c00'

PAGE = 'w-full max-w-screen-lg mx-auto p-3 sm:p-6 gap-4'
TAP = 'min-h-[44px] min-w-[44px]'  # tap targets of at least 44 px on phones
LINK = 'inline-flex items-center min-h-[44px] min-w-[44px]'  # a text link as big as a tap target


# Quasar's own small controls, grown to 44 px without moving what is around them (SPEC §4): the clear button of
# a field, the pager's numbers, a chip's remover; an error under a field keeps its distance from the next field.
CSS = """
.q-field__focusable-action { min-width: 44px; min-height: 44px; justify-content: center; }
.q-pagination .q-btn { min-width: 44px !important; min-height: 44px !important; }
.q-chip__icon--remove { box-sizing: content-box; padding: 13px; margin: -13px -13px -13px -4px; }
.q-field--with-bottom { padding-bottom: 24px; }
.q-field__bottom { line-height: 1.2; }
.q-checkbox, .q-toggle, .q-radio { min-height: 44px; }
.q-expansion-item .q-item { min-height: 44px; }
.apok-nav .q-tab__label { font-size: 11px; line-height: 1.2; white-space: normal; text-align: center; }
.apok-tabs-wrap .q-tabs__content { flex-wrap: wrap; }
.apok-tabs-wrap .q-tab { flex: 1 1 50%; }
@media (min-width: 640px) { .apok-tabs-wrap .q-tab { flex: 0 0 auto; } }
"""
# Every toast at the top, one at a time: a bottom toast covered Disetujui / Ditolak (and the phone's tab bar) for
# seconds, and an old red one stayed on screen beside the success that followed it. Quasar replaces a toast of the
# same group in place; NiceGUI's ui.notify hands its options to Quasar.Notify.create, wrapped here once per page.
# A dialog that opens (a confirmation, a result) takes the last toast away instead of leaving it beside it: Quasar
# puts each open dialog in its own `q-portal--dialog--N` node under <body>, so a new one is a new child there.
TOASTS = """<script>
document.addEventListener('DOMContentLoaded', () => {
  const create = Quasar.Notify.create.bind(Quasar.Notify);
  let dismiss = null;
  Quasar.Notify.create = (options) =>
    (dismiss = create(Object.assign({}, options, {position: 'top', group: 'apok', badgeClass: 'hidden'})));
  const dialogs = () => document.querySelectorAll('body > [id^="q-portal--dialog--"]').length;
  let open = dialogs();
  new MutationObserver(() => {
    const now = dialogs();
    if (now > open && dismiss) { dismiss(); dismiss = null; }
    open = now;
  }).observe(document.body, {childList: true});
});
</script>"""


def apply() -> None:
    """Set the colours, the tap-target sizes and the toasts for the current page."""
    from nicegui import ui

    ui.colors(
        primary=PRIMARY, secondary=SECONDARY, accent=ACCENT, positive=POSITIVE, negative=NEGATIVE, warning=WARNING
    )
    ui.add_css(CSS)
    ui.add_head_html(TOASTS)
