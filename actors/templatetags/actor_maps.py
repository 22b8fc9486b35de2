"""`{% map_tiles as tiles %}`: the tile server of the maps (settings MAP_TILE_URL and MAP_TILE_ATTRIBUTION).

A tag rather than a view variable, so that any page can `{% include "actors/_map.html" %}`.
"""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def map_tiles() -> dict:
    return {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}
