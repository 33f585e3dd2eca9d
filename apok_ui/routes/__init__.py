"""Plain HTTP routes beside the NiceGUI pages (files officers open in a new tab)."""
