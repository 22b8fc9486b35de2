from celery import shared_task
from django.utils import timezone

from procurement.services import expire_stale_listings


@shared_task(name="procurement.expire_listings", ignore_result=True)
def expire_listings() -> int:
    """Nightly (beat entry "expire-asr-listings"): mark expired the listings not verified for 12 months."""
    return expire_stale_listings(timezone.localdate())
