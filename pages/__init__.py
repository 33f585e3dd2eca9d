"""One module per screen or area; main.py wires each to its route."""
