"""French number formatting shared by pages, exports and PDFs."""

from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"


def format_number(value, decimals: int = 0) -> str:
    """`1234567.5` → `1 234 568` (decimals=0) or `1 234 567,50` (decimals=2), non-breaking spaces."""
    if value is None or value == "":
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    amount = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    integer, _, fraction = f"{abs(amount):f}".partition(".")
    groups = []
    while integer:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    text = NBSP.join(groups) or "0"
    return f"{sign}{text},{fraction}" if decimals else f"{sign}{text}"


def format_euros(value, decimals: int = 2) -> str:
    """`145000` → `145 000,00 €` (French typography: non-breaking spaces)."""
    if value is None or value == "":
        return ""
    return f"{format_number(value, decimals)}{NBSP}€"


def percentage(part, whole) -> Decimal | None:
    """`part` as a percentage of `whole`, one decimal rounded half up; None when `part` is missing or `whole` is
    missing or zero."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
