from decimal import Decimal

from ess_portal.formatting import format_euros, format_number


def test_euros_use_french_typography():
    assert format_euros(Decimal("145000")) == "145\u00a0000,00\u00a0€"
    assert format_euros(Decimal("2020000.5")) == "2\u00a0020\u00a0000,50\u00a0€"
    assert format_euros(Decimal("5031"), 0) == "5\u00a0031\u00a0€"
    assert format_euros(Decimal("0")) == "0,00\u00a0€"


def test_numbers_round_half_up_and_keep_the_sign():
    assert format_number(Decimal("1234.5")) == "1\u00a0235"
    assert format_number(Decimal("-12.345"), 2) == "-12,35"
    assert format_euros(None) == ""
