import datetime

import pytest
from django.utils import timezone

from procurement.tasks import expire_listings

pytestmark = pytest.mark.django_db


def test_the_nightly_task_expires_listings_not_verified_for_twelve_months():
    from procurement.enums import ListingStatus
    from tests.procurement.factories import AsrListingFactory

    stale = AsrListingFactory(
        status=ListingStatus.PUBLISHED, last_verified_on=timezone.localdate() - datetime.timedelta(days=400)
    )
    fresh = AsrListingFactory(status=ListingStatus.PUBLISHED, last_verified_on=timezone.localdate())
    assert expire_listings() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == ListingStatus.EXPIRED
    assert fresh.status == ListingStatus.PUBLISHED
