"""Aids granted outside the grants workflow (the foncière's in-kind aid of discounted rents…) that still count in an
undertaking's de minimis sum and appear in the SCDL open data. The apps that grant them register a source in their
`AppConfig.ready()`, so that funding never imports them::

    register_aid_source(AidSource("fonciere", de_minimis_total=…, open_data_rows=…))

`de_minimis_total(actor_id=, start=, end=)` returns the source's aids to the actor in [start, end] (a Decimal, in a
fixed number of queries). `open_data_rows(year=)` yields the year's rows as dicts with the keys `date_convention`,
`reference_decision`, `beneficiary_name`, `beneficiary_siret`, `beneficiary_rna`, `purpose`, `amount` (Decimal),
`period_start`, `period_end` and `scheme`; the open-data file adds the authority and the fixed columns.
`open_data_counts()` returns `[{"year", "rows", "total"}]`, the years of its rows, for the open-data page.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class AidSource:
    name: str
    de_minimis_total: Callable
    open_data_rows: Callable[..., Iterable[dict]]
    open_data_counts: Callable[[], Iterable[dict]] = tuple


_sources: list[AidSource] = []


def register_aid_source(source: AidSource) -> None:
    """Registering the same source again (a second `ready()`) changes nothing."""
    if all(registered.name != source.name for registered in _sources):
        _sources.append(source)


def aid_sources() -> list[AidSource]:
    return list(_sources)
