"""The public directory of ESS actors, its map and its GeoJSON: only actors that opted in, never a contact."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from actors.filters import ActorFilter
from actors.location import PUBLIC_ACTOR_URL_NAME, feature_collection, stable_order, with_card_data
from actors.models import Actor
from filieres.models import HeadOfNetwork

ACTORS_PER_PAGE = 20

# The filters a visitor may use: whatever the staff registry adds to ActorFilter later stays out of here.
PUBLIC_FILTERS = ("q", "commune", "forme", "agrement", "filiere", "segment", "etp_min", "etp_max", "tri")

SORT_CHOICES = [
    ("", "Nom (A à Z)"),
    ("-nom", "Nom (Z à A)"),
    ("commune", "Commune"),
    ("-etp", "Effectif (le plus grand d’abord)"),
    ("-creation", "Année de création (la plus récente d’abord)"),
]


class PublicActorFilter(ActorFilter):
    """ActorFilter restricted to PUBLIC_FILTERS; applied to `Actor.objects.public()` only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.filters):
            if name not in PUBLIC_FILTERS:
                del self.filters[name]


def public_filterset(request) -> PublicActorFilter:
    return PublicActorFilter(request.GET or None, queryset=Actor.objects.public())


def filter_query(request, *, without=("page",)) -> str:
    """The current filters as a query string (to carry them to the GeoJSON and the pagination links)."""
    params = request.GET.copy()
    for name in without:
        params.pop(name, None)
    return params.urlencode()


@login_not_required
@require_GET
def directory(request):
    """/annuaire/: search the actors that opted in, as a paginated list and on a map."""
    filterset = public_filterset(request)
    actors = with_card_data(stable_order(filterset.qs))
    page = Paginator(actors, ACTORS_PER_PAGE).get_page(request.GET.get("page"))
    geojson_query = filter_query(request, without=("page", "tri"))
    return render(
        request,
        "actors/public_directory.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page_obj": page,
            "actors": page.object_list,
            "result_count": page.paginator.count,
            "sort_choices": SORT_CHOICES,
            "current_sort": request.GET.get("tri", ""),
            "page_query": filter_query(request),
            "geojson_url": reverse("actors:directory_geojson") + (f"?{geojson_query}" if geojson_query else ""),
            "actor_url_name": PUBLIC_ACTOR_URL_NAME,
        },
    )


@login_not_required
@require_GET
def directory_geojson(request):
    """/annuaire/carte.geojson: the located public actors matching the directory's filters."""
    filterset = public_filterset(request)
    collection = feature_collection(filterset.qs, url_name=PUBLIC_ACTOR_URL_NAME)
    return JsonResponse(collection, content_type="application/geo+json")


@login_not_required
@require_GET
def public_detail(request, pk):
    """/annuaire/<pk>/: an actor's public profile (404 unless it opted in and is not archived)."""
    actor = get_object_or_404(with_card_data(Actor.objects.public()).prefetch_related("segments"), pk=pk)
    heads = HeadOfNetwork.objects.filter(actor=actor).select_related("filiere")
    return render(
        request,
        "actors/public_detail.html",
        {
            "actor": actor,
            "headed_filieres": heads,
        },
    )
