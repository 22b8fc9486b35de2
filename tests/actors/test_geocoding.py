"""Geocoding through the BAN, replaying recorded answers (tests/actors/data/ban_*.json): never the network."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from celery.exceptions import Retry

from actors.enums import LocationPrecision
from actors.geocoding import (
    BanGeocoder,
    GeocoderUnavailable,
    OfflineGeocoder,
    geocode_actor_location,
    get_geocoder,
)
from actors.tasks import geocode_actor
from tests.actors.factories import ActorFactory, CommuneFactory

DATA = Path(__file__).parent / "data"
BAN_URL = "https://data.geopf.fr/geocodage/search"


class FakeResponse:
    def __init__(self, payload=None, status_code=200):
        self.payload, self.status_code = payload, status_code

    def json(self):
        return self.payload


def recorded(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any unmocked call to requests.get fails the test."""

    def forbidden(*args, **kwargs):
        raise AssertionError(f"the network was called: {args} {kwargs}")

    monkeypatch.setattr(requests, "get", forbidden)


@pytest.fixture
def ban(monkeypatch, settings):
    """Route the geocoder to the BAN and answer its requests with `ban.answers`, recording the calls."""
    settings.GEOCODER_CLASS = "actors.geocoding.BanGeocoder"
    settings.GEOCODER_URL = BAN_URL
    settings.GEOCODER_TIMEOUT = 3.0

    class Ban:
        answers = []
        calls = []

    def fake_get(url, params=None, timeout=None):
        Ban.calls.append({"url": url, "params": params, "timeout": timeout})
        answer = Ban.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(requests, "get", fake_get)
    return Ban


@pytest.fixture
def bordeaux(db):
    return CommuneFactory(
        insee_code="33063", name="Bordeaux", latitude=Decimal("44.83780"), longitude=Decimal("-0.57940")
    )


@pytest.fixture
def actor(bordeaux):
    return ActorFactory(
        commune=bordeaux,
        address="12 rue Sainte-Catherine",
        postal_code="33000",
        latitude=None,
        longitude=None,
        location_precision=LocationPrecision.NONE,
    )


def test_the_ban_geocoder_reads_the_coordinates_score_and_label_of_a_recorded_answer(ban, bordeaux):
    ban.answers = [FakeResponse(recorded("ban_address_found.json"))]

    result = BanGeocoder().geocode(address="12 rue Sainte-Catherine", postal_code="33000", commune=bordeaux)

    assert result.latitude == Decimal("44.84066")
    assert result.longitude == Decimal("-0.57369")
    assert result.score == pytest.approx(0.9737, abs=1e-4)
    assert result.label == "12 Rue Sainte-Catherine 33000 Bordeaux"
    assert ban.calls == [
        {
            "url": BAN_URL,
            "params": {"q": "12 rue Sainte-Catherine 33000 Bordeaux", "citycode": "33063", "limit": 1},
            "timeout": 3.0,
        }
    ]


def test_the_ban_geocoder_refuses_a_low_score(ban, bordeaux):
    ban.answers = [FakeResponse(recorded("ban_low_score.json"))]

    assert BanGeocoder().geocode(address="Hangar fictif", postal_code="33000", commune=bordeaux) is None


def test_the_ban_geocoder_refuses_a_result_in_another_commune(ban, db):
    merignac = CommuneFactory(insee_code="33281", name="Mérignac")
    ban.answers = [FakeResponse(recorded("ban_address_found.json"))]

    assert BanGeocoder().geocode(address="12 rue Sainte-Catherine", postal_code="33700", commune=merignac) is None


def test_the_ban_geocoder_does_not_call_the_service_without_an_address(ban, bordeaux):
    assert BanGeocoder().geocode(address="  ", postal_code="33000", commune=bordeaux) is None
    assert ban.calls == []


def test_the_ban_geocoder_reports_network_errors_and_server_errors_as_unavailable(ban, bordeaux):
    ban.answers = [requests.ConnectionError("no route to host"), FakeResponse(status_code=503)]

    with pytest.raises(GeocoderUnavailable):
        BanGeocoder().geocode(address="1 rue X", postal_code="33000", commune=bordeaux)
    with pytest.raises(GeocoderUnavailable):
        BanGeocoder().geocode(address="1 rue X", postal_code="33000", commune=bordeaux)


def test_the_ban_geocoder_treats_a_refused_query_as_not_found(ban, bordeaux):
    ban.answers = [FakeResponse({"code": 400, "message": "q must contain at least 3 chars"}, status_code=400)]

    assert BanGeocoder().geocode(address="1", postal_code="", commune=bordeaux) is None


def test_the_geocoder_class_comes_from_the_settings(settings):
    settings.GEOCODER_CLASS = "actors.geocoding.OfflineGeocoder"

    assert isinstance(get_geocoder(), OfflineGeocoder)


def test_the_task_stores_the_geocoded_address_with_address_precision(ban, actor):
    ban.answers = [FakeResponse(recorded("ban_address_found.json"))]

    geocode_actor.delay(actor.pk)

    actor.refresh_from_db()
    assert (actor.latitude, actor.longitude) == (Decimal("44.84066"), Decimal("-0.57369"))
    assert actor.location_precision == LocationPrecision.ADDRESS
    assert actor.geocoded_at is not None


@pytest.mark.parametrize("answer", ["ban_low_score.json", "ban_empty.json"])
def test_an_address_not_found_falls_back_to_the_commune_centre_flagged_approximate(ban, actor, answer):
    ban.answers = [FakeResponse(recorded(answer))]

    geocode_actor.delay(actor.pk)

    actor.refresh_from_db()
    assert (actor.latitude, actor.longitude) == (Decimal("44.83780"), Decimal("-0.57940"))
    assert actor.location_precision == LocationPrecision.COMMUNE


def test_a_network_error_is_retried_and_then_succeeds(ban, actor):
    ban.answers = [requests.Timeout("slow"), FakeResponse(recorded("ban_address_found.json"))]

    geocode_actor.delay(actor.pk)

    actor.refresh_from_db()
    assert len(ban.calls) == 2
    assert actor.location_precision == LocationPrecision.ADDRESS


def test_a_service_that_stays_unreachable_is_retried_then_the_commune_centre_is_used(ban, actor):
    ban.answers = [requests.ConnectionError("down")] * 4

    geocode_actor.delay(actor.pk)

    actor.refresh_from_db()
    assert len(ban.calls) == 4  # the first attempt and 3 retries
    assert actor.location_precision == LocationPrecision.COMMUNE
    assert actor.latitude == Decimal("44.83780")


def test_the_offline_geocoder_places_the_actor_at_its_commune_centre(actor, settings):
    settings.GEOCODER_CLASS = "actors.geocoding.OfflineGeocoder"

    assert geocode_actor_location(actor=actor) == LocationPrecision.COMMUNE


def test_a_commune_without_centre_leaves_the_actor_unlocated(db):
    actor = ActorFactory(commune=CommuneFactory(latitude=None, longitude=None), latitude=None, longitude=None)

    assert geocode_actor_location(actor=actor, geocoder=OfflineGeocoder()) == LocationPrecision.NONE
    actor.refresh_from_db()
    assert actor.latitude is None


def test_a_pin_placed_by_hand_is_kept(ban, actor):
    actor.set_location(latitude=Decimal("44.80000"), longitude=Decimal("-0.60000"), precision=LocationPrecision.MANUAL)
    actor.save()

    geocode_actor.delay(actor.pk)

    actor.refresh_from_db()
    assert actor.latitude == Decimal("44.80000")
    assert ban.calls == []


def test_the_task_ignores_an_actor_deleted_meanwhile(db):
    geocode_actor.delay(123456)


def test_geocoding_saves_only_the_location_fields(ban, actor):
    ban.answers = [FakeResponse(recorded("ban_address_found.json"))]
    actor.name = "Nom modifié ailleurs, pas encore enregistré"

    geocode_actor_location(actor=actor)

    actor.refresh_from_db()
    assert actor.name != "Nom modifié ailleurs, pas encore enregistré"


def test_on_a_worker_a_network_error_schedules_a_retry_with_a_growing_delay(ban, actor, monkeypatch):
    ban.answers = [requests.ConnectionError("down")]
    countdowns = []

    def fake_retry(exc, countdown):
        countdowns.append(countdown)
        return Retry(exc=exc, when=countdown)

    monkeypatch.setattr(geocode_actor, "retry", fake_retry)
    geocode_actor.push_request(retries=2, is_eager=False)
    try:
        with pytest.raises(Retry):
            geocode_actor.run(actor.pk)
    finally:
        geocode_actor.pop_request()

    assert countdowns == [240]
    actor.refresh_from_db()
    assert actor.location_precision == LocationPrecision.NONE  # not yet: the fallback waits for the last try
