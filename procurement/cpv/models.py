"""CPV codes (Common Procurement Vocabulary) and the helpers that read the codes people type."""

import re

from django.db import models
from django.db.models import Q

from actors.models import normalize_search_text


def significant_cpv_digits(text: str) -> str:
    """« 90910000-9 », « 90910000 » or « 9091 » → « 9091 », the form in which `CpvCode.code` is stored, so that a
    prefix finds the sub-codes; « » when the text holds no digit. A division keeps two digits (« 03000000 » → « 03 »).
    """
    digits = re.sub(r"\D", "", text.split("-")[0])[:8].rstrip("0")
    return digits.ljust(2, "0") if digits else ""


def cpv_display_code(code: str) -> str:
    """« 9051 » → « 90510000 » (the 8-digit CPV code without its check digit)."""
    return code.ljust(8, "0")


class CpvCode(models.Model):
    """A code of the Common Procurement Vocabulary (division, group, class or category).

    `code` holds only the significant digits (« 45 », « 9051 »), so that a prefix search finds sub-codes.
    """

    code = models.CharField("code CPV", max_length=8, unique=True)
    label = models.CharField("libellé", max_length=300)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name="parent"
    )

    class Meta:
        verbose_name = "code CPV"
        verbose_name_plural = "codes CPV"
        ordering = ["code"]

    def __str__(self):
        return f"{self.full_code} {self.label}"

    @property
    def full_code(self) -> str:
        return cpv_display_code(self.code)


def matching_cpv_codes(text: str) -> list[CpvCode]:
    """The CPV codes whose label holds every word of `text` (accents and case ignored), or, when `text` is a
    number, whose code starts with its significant digits; in code order.

    The labels are compared in Python: a few thousand short rows, read in one query, and the same accent folding
    on SQLite and PostgreSQL.
    """
    if any(char.isdigit() for char in text) and not any(char.isalpha() for char in text):
        return list(CpvCode.objects.filter(code__startswith=significant_cpv_digits(text)).order_by("code"))
    words = normalize_search_text(text).split()
    return [
        code
        for code in CpvCode.objects.order_by("code")
        if all(word in normalize_search_text(code.label) for word in words)
    ]


def cpv_prefix_condition(codes, *, lookup: str = "code") -> Q:
    """CPV codes sharing a prefix with one of `codes`, in either direction.

    A supplier listed under division « 90 » answers a need coded « 9051 » (its code is a prefix of the need's),
    and a supplier listed under « 90511 » answers a need coded « 90 » (the need's code is a prefix of its own).
    """
    condition = Q()
    for code in codes:
        prefixes = [code[:length] for length in range(2, len(code) + 1)]
        condition |= Q(**{f"{lookup}__startswith": code}) | Q(**{f"{lookup}__in": prefixes})
    return condition
