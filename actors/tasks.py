import logging

from celery import shared_task

from actors.geocoding import GeocoderUnavailable, geocode_actor_location, place_actor_at_commune_centre
from actors.models import Actor

logger = logging.getLogger(__name__)

GEOCODE_MAX_RETRIES = 3
GEOCODE_BACKOFF_SECONDS = 60  # 1, 2 then 4 minutes between attempts


# The national address API allows 50 requests per second per IP: stay below it, per worker.
@shared_task(
    bind=True, name="actors.geocode_actor", max_retries=GEOCODE_MAX_RETRIES, ignore_result=True, rate_limit="20/s"
)
def geocode_actor(self, actor_id: int) -> str | None:
    """Locate an actor from its current address (enqueued with `delay_on_commit` after the address is saved).

    Idempotent: it reads the actor again, so a late or repeated message only geocodes the latest address.
    When the address service stays unreachable after the retries, the actor gets its commune's centre.
    """
    actor = Actor.objects.select_related("commune").filter(pk=actor_id).first()
    if actor is None:
        return None  # deleted since the task was enqueued
    attempt = self.request.retries
    while True:
        try:
            return geocode_actor_location(actor=actor)
        except GeocoderUnavailable as error:
            if attempt >= self.max_retries:
                logger.warning("Geocoding of actor %s gave up after %s retries: %s", actor_id, attempt, error)
                return place_actor_at_commune_centre(actor=actor)
            if not self.request.is_eager:
                raise self.retry(exc=error, countdown=GEOCODE_BACKOFF_SECONDS * 2**attempt) from error
            # Eager mode (embedded default, tests) has no broker to wait on and an eager retry raises:
            # try again at once, the same cap ends the loop.
            attempt += 1
