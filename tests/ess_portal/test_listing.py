from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Actor
from ess_portal.listing import CappedCountPaginator
from tests.actors.factories import ActorFactory


def _names(page):
    return [actor.name for actor in page.object_list]


def test_a_narrow_search_is_counted_and_its_pages_read_the_rows_by_id_without_the_conditions(db):
    for name in ["Delta", "Alpha", "Charlie", "Bravo", "Zoulou"]:
        ActorFactory(name=name, fte=10 if name != "Zoulou" else 1)
    search = Actor.objects.filter(fte__gte=5).order_by("name")
    paginator = CappedCountPaginator(search, 2, cap=10, rows=Actor.objects.order_by("name"))

    with CaptureQueriesContext(connection) as queries:
        first = paginator.page(1)
        names = _names(first)

    assert paginator.count == 4 and not paginator.is_capped
    assert names == ["Alpha", "Bravo"]
    assert _names(paginator.page(2)) == ["Charlie", "Delta"]
    page_query = queries.captured_queries[-1]["sql"]
    assert '"fte" >=' not in page_query, "the page reads its rows by id only"


def test_a_broad_search_is_not_counted_and_pages_through_the_first_rows_in_order(db):
    for name in ["Delta", "Alpha", "Charlie", "Bravo"]:
        ActorFactory(name=name)
    paginator = CappedCountPaginator(Actor.objects.order_by("name"), 2, cap=3, rows=Actor.objects.order_by("-name"))

    assert paginator.is_capped and paginator.count == 3
    assert paginator.num_pages == 2
    assert _names(paginator.page(1)) == ["Alpha", "Bravo"]
    assert _names(paginator.page(2)) == ["Charlie"]
