"""Colours and class fragments of APOK's screens; nowhere else."""

PRIMARY = '#0b5394'  # Batam blue
SECONDARY = '#1c7c54'
ACCENT = '#f1c232'
POSITIVE = '#2e7d32'
NEGATIVE = '#c62828'
WARNING = '#ef6c00'

PAGE = 'w-full max-w-screen-lg mx-auto p-3 sm:p-6 gap-4'
TAP = 'min-h-[44px]'  # tap targets of at least 44 px on phones


def apply() -> None:
    """Set the colours for the current page."""
    from nicegui import ui

    ui.colors(
        primary=PRIMARY, secondary=SECONDARY, accent=ACCENT, positive=POSITIVE, negative=NEGATIVE, warning=WARNING
    )
