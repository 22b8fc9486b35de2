"""Import of actors from a CSV or XLSX file (such as a CRESS export), by staff; the rules are in validation.py."""
