"""Printing: the letter's data (queries), its template (templates), the PDF (render, in worker processes) and
Cetak, which checks, renders and records a print (cetak)."""
