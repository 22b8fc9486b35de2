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
    """A paginator that counts at most `cap` rows. Counting every row of a broad search over hundreds of thousands
    of rows costs more than the page itself; beyond the cap the page says « plus de N » (`is_capped`) and offers the
    first `cap` rows, and the export still holds every result."""

    def __init__(self, object_list, per_page, *, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def counted(self) -> int:
        """The number of rows, or `cap + 1` when there are more than `cap` (a COUNT over a LIMIT subquery)."""
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.counted > self.cap

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)
