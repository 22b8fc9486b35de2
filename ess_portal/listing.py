"""Helpers for list pages: sortable column headers that keep the other filters of the URL."""


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
