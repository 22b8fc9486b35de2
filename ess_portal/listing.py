"""Helpers for list pages: sortable column headers that keep the other filters of the URL, and a paginator for
very large searches."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


def sort_links(query_dict, current: str, columns: list[tuple[str, str]], *, parameter: str = "tri") -> list[dict]:
    """One link per sortable column to the same search sorted by it, toggling the direction.

    `aria_sort` is the column's current state for the `aria-sort` attribute of its header.
    """
    links = []
    for key, label in columns:
        params = query_dict.copy()
        params.pop("page", None)
        if current == key:
            params[parameter], state = f"-{key}", "ascending"
        elif current == f"-{key}":
            params[parameter], state = key, "descending"
        else:
            params[parameter], state = key, "none"
        links.append({"key": key, "label": label, "url": f"?{params.urlencode()}", "aria_sort": state})
    return links


class CappedCountPaginator(Paginator):
    """A paginator for searches over hundreds of thousands of rows, which reads at most `cap + 1` ids of the
    matching rows (one query that stops early on a broad search):

    - a broad search (more than `cap` rows) is not counted: the page says « plus de N » (`is_capped`) and offers the
      first `cap` rows in the queryset's order (an ordered LIMIT finds them quickly); the export still holds them all;
    - a narrow search has all its ids read: its pages are ordered among those ids only, instead of walking an index
      of the whole table for a few rare matches.

    `rows`, optional, is the queryset of the same model with the page's ordering and related data but without the
    search's conditions: a narrow search's pages then read their rows by id alone, instead of evaluating the
    conditions a second time."""

    def __init__(self, object_list, per_page, *, cap: int, rows=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.rows = rows

    @cached_property
    def counted(self) -> int:
        """The number of rows, or `cap + 1` when there are more than `cap`."""
        ids = list(self.object_list.order_by().values_list("pk", flat=True)[: self.cap + 1])
        if len(ids) <= self.cap:
            self.object_list = (self.object_list if self.rows is None else self.rows).filter(pk__in=ids)
        return len(ids)

    @property
    def is_capped(self) -> bool:
        return self.counted > self.cap

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)
