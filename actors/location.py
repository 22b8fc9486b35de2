"""Actors on the map: the GeoJSON shared by the public directory, the filière pages and the API.

Size: a map is useful up to a few thousand pins (the territory has about 3,000 ESS establishments), not
with the 200,000 of a regional directory. A FeatureCollection therefore holds at most MAX_FEATURES
features, read with `.values()` (no model instances) in a single query; beyond that it says
`"truncated": true` with the `"total"` count, and the page invites the visitor to narrow the search.
The list next to the map always shows every result, page by page.
"""

from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from actors.enums import LegalForm, LocationPrecision
from actors.models import Agrement

MAX_FEATURES = 5000
PK_PLACEHOLDER = 987654321  # reversed once, then replaced in each feature's URL (no reverse() per row)
STAFF_ACTOR_URL_NAME = "actors:actor_detail"
PUBLIC_ACTOR_URL_NAME = "actors:public_detail"

LEGAL_FORM_LABELS = dict(LegalForm.choices)


def actor_url_name(*, full_registry: bool) -> str:
    """The page an actor's name links to: the staff page for registry viewers (when it exists), else the public one."""
    if full_registry:
        try:
            reverse(STAFF_ACTOR_URL_NAME, kwargs={"pk": PK_PLACEHOLDER})
            return STAFF_ACTOR_URL_NAME
        except NoReverseMatch:
            pass
    return PUBLIC_ACTOR_URL_NAME


def url_template(url_name: str) -> str:
    return reverse(url_name, kwargs={"pk": PK_PLACEHOLDER}).replace(str(PK_PLACEHOLDER), "{pk}")


def with_card_data(actors: QuerySet) -> QuerySet:
    """What an actor card shows (commune, filières, agréments in force), in a fixed number of queries."""
    today = timezone.localdate()
    return actors.select_related("commune").prefetch_related(
        "filieres",
        Prefetch("agrements", queryset=Agrement.objects.valid_on(today), to_attr="agrements_in_force"),
    )


def stable_order(actors: QuerySet) -> QuerySet:
    """Pages must not overlap: the chosen order (or the default by name), then the primary key."""
    ordering = list(actors.query.order_by) or ["name"]
    return actors.order_by(*ordering, "pk")


def feature_collection(actors: QuerySet, *, url_name: str = PUBLIC_ACTOR_URL_NAME, limit: int = MAX_FEATURES) -> dict:
    """The located actors of `actors` as a GeoJSON FeatureCollection (at most `limit` features)."""
    located = actors.filter(latitude__isnull=False, longitude__isnull=False)
    rows = list(
        located.values("pk", "name", "legal_form", "commune__name", "latitude", "longitude", "location_precision")[
            : limit + 1
        ]
    )
    truncated = len(rows) > limit
    link = url_template(url_name)
    collection = {
        "type": "FeatureCollection",
        "truncated": truncated,
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]},
                "properties": {
                    "id": row["pk"],
                    "name": row["name"],
                    "legal_form": LEGAL_FORM_LABELS.get(row["legal_form"], row["legal_form"]),
                    "commune": row["commune__name"],
                    "url": link.format(pk=row["pk"]),
                    "precision": row["location_precision"],
                    "approximate": row["location_precision"] == LocationPrecision.COMMUNE,
                },
            }
            for row in rows[:limit]
        ],
    }
    if truncated:
        collection["total"] = located.order_by().count()
    return collection
