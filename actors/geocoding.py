"""Where is an actor? Coordinates from its address, through a small geocoder interface.

`BanGeocoder` asks the national address API (Base Adresse Nationale, served by the IGN Géoplateforme);
`OfflineGeocoder` never finds anything (tests, offline demos). `settings.GEOCODER_CLASS` picks one.
`geocode_actor_location()` is the service the Celery task `actors.geocode_actor` calls: it stores the
geocoded address, or falls back to the commune's centre flagged as approximate (`LocationPrecision.COMMUNE`).
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal

import requests
from django.conf import settings
from django.utils.module_loading import import_string

from actors.enums import LocationPrecision
from actors.models import Actor, Commune

COORDINATE_PLACES = Decimal("0.00001")  # the 5 decimal places of Actor.latitude/longitude (about 1 m)
LOCATION_FIELDS = ["latitude", "longitude", "location_precision", "geocoded_at"]


@dataclass(frozen=True)
class GeocodeResult:
    latitude: Decimal
    longitude: Decimal
    score: float
    label: str


class GeocoderUnavailable(Exception):
    """The geocoding service could not answer (network error, timeout, server error): worth retrying later."""


class Geocoder(ABC):
    """Turns a postal address of one of the communes into coordinates, or None when it is not found."""

    @abstractmethod
    def geocode(self, *, address: str, postal_code: str, commune: Commune) -> GeocodeResult | None: ...


class OfflineGeocoder(Geocoder):
    """Finds nothing, never reaches the network: actors fall back to their commune's centre."""

    def geocode(self, *, address: str, postal_code: str, commune: Commune) -> GeocodeResult | None:
        return None


class BanGeocoder(Geocoder):
    """The national address API (BAN): `GET {GEOCODER_URL}?q=…&citycode=<INSEE>&limit=1`.

    The answer is a GeoJSON FeatureCollection; the best feature carries `geometry.coordinates` as
    [longitude, latitude] and `properties.score` (0–1), `label` and `citycode`. A result is accepted only
    with a score of at least MIN_SCORE and in the actor's own commune (the `citycode` filter already asks
    for it; we check it anyway, since a wrong pin is worse than the commune's centre).
    """

    MIN_SCORE = 0.5

    def __init__(self, *, url: str | None = None, timeout: float | None = None):
        self.url = url or settings.GEOCODER_URL
        self.timeout = timeout if timeout is not None else settings.GEOCODER_TIMEOUT

    def geocode(self, *, address: str, postal_code: str, commune: Commune) -> GeocodeResult | None:
        if not address.strip():
            return None
        query = " ".join(part for part in (address.strip(), postal_code.strip(), commune.name) if part)
        params = {"q": query, "citycode": commune.insee_code, "limit": 1}
        try:
            response = requests.get(self.url, params=params, timeout=self.timeout)
        except requests.RequestException as error:
            raise GeocoderUnavailable(f"Service de géocodage injoignable : {error}") from error
        if response.status_code == 429 or response.status_code >= 500:
            raise GeocoderUnavailable(f"Service de géocodage indisponible (HTTP {response.status_code}).")
        if response.status_code != 200:
            return None  # 400: a query the API refuses (too short, bad characters); retrying will not help
        try:
            features = response.json().get("features") or []
        except ValueError as error:
            raise GeocoderUnavailable("Réponse illisible du service de géocodage.") from error
        return self._best_result(features, commune)

    def _best_result(self, features: list, commune: Commune) -> GeocodeResult | None:
        if not features:
            return None
        feature = features[0]
        properties = feature.get("properties") or {}
        score = float(properties.get("score") or 0)
        if score < self.MIN_SCORE or properties.get("citycode") != commune.insee_code:
            return None
        longitude, latitude = feature["geometry"]["coordinates"][:2]
        return GeocodeResult(
            latitude=Decimal(str(latitude)).quantize(COORDINATE_PLACES),
            longitude=Decimal(str(longitude)).quantize(COORDINATE_PLACES),
            score=score,
            label=properties.get("label", ""),
        )


def get_geocoder() -> Geocoder:
    return import_string(settings.GEOCODER_CLASS)()


def geocode_actor_location(*, actor: Actor, geocoder: Geocoder | None = None) -> str:
    """Locate the actor from its address, or at its commune's centre (flagged approximate). Returns the precision.

    A pin placed by hand (`MANUAL`) is kept. Raises `GeocoderUnavailable` when the service cannot answer,
    so that the task retries; `place_actor_at_commune_centre()` is the fallback once it gives up.
    """
    if actor.location_precision == LocationPrecision.MANUAL:
        return actor.location_precision
    geocoder = geocoder or get_geocoder()
    result = geocoder.geocode(address=actor.address, postal_code=actor.postal_code, commune=actor.commune)
    if result is None:
        return place_actor_at_commune_centre(actor=actor)
    actor.set_location(latitude=result.latitude, longitude=result.longitude, precision=LocationPrecision.ADDRESS)
    actor.save(update_fields=LOCATION_FIELDS)
    return actor.location_precision


def place_actor_at_commune_centre(*, actor: Actor) -> str:
    """Fallback when the address is not found: the commune's centre, flagged « localisation approximative »."""
    commune = actor.commune
    if commune.latitude is None or commune.longitude is None:
        actor.set_location(latitude=None, longitude=None, precision=LocationPrecision.NONE)
    else:
        actor.set_location(latitude=commune.latitude, longitude=commune.longitude, precision=LocationPrecision.COMMUNE)
    actor.save(update_fields=LOCATION_FIELDS)
    return actor.location_precision
