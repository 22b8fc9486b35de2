"""The filière pages, public: visitors see the actors that opted in; registry viewers see every active actor."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from actors.location import actor_url_name, stable_order, with_card_data
from actors.models import Actor
from actors.permissions import can_view_registry
from filieres.models import Filiere, HeadOfNetwork, Segment

ACTORS_PER_PAGE = 20


def _visible_actors(user):
    return Actor.objects.active() if can_view_registry(user) else Actor.objects.public()


def _visible_actor_condition(user, prefix: str) -> Q:
    """The same rule as `_visible_actors`, for counting through a relation (`prefix` = "actors__")."""
    condition = Q(**{f"{prefix}is_archived": False})
    if not can_view_registry(user):
        condition &= Q(**{f"{prefix}is_public": True})
    return condition


def _with_visible_heads(filieres, user):
    heads = HeadOfNetwork.objects.filter(actor__in=_visible_actors(user)).select_related("actor")
    return filieres.prefetch_related(
        Prefetch("heads_of_network", queryset=heads.order_by("actor__name"), to_attr="visible_heads")
    )


def _filieres_for(user):
    # No DISTINCT in the count: an actor is linked at most once to a filière.
    filieres = Filiere.objects.annotate(
        actor_count=Count("actors", filter=_visible_actor_condition(user, "actors__"))
    ).order_by("code")  # Meta.ordering does not apply to a GROUP BY query
    filieres = filieres.prefetch_related(Prefetch("segments", queryset=Segment.objects.order_by("position", "name")))
    return _with_visible_heads(filieres, user)


@login_not_required
@require_GET
def filiere_list(request):
    """/filieres/: the four priority filières of the plan, their segments, têtes de filière and actor counts."""
    return render(
        request,
        "filieres/filiere_list.html",
        {
            "filieres": _filieres_for(request.user),
            "full_registry": can_view_registry(request.user),
            "actor_url_name": actor_url_name(full_registry=can_view_registry(request.user)),
        },
    )


@login_not_required
@require_GET
def filiere_detail(request, slug):
    """/filieres/<slug>/: one filière with its segments, têtes de filière, and the list and map of its actors."""
    full_registry = can_view_registry(request.user)
    filiere = get_object_or_404(_with_visible_heads(Filiere.objects.all(), request.user), slug=slug)
    segments = Segment.objects.filter(filiere=filiere).annotate(
        actor_count=Count("actors", filter=_visible_actor_condition(request.user, "actors__"))
    )
    actors = with_card_data(stable_order(_visible_actors(request.user).filter(filieres=filiere)))
    page = Paginator(actors, ACTORS_PER_PAGE).get_page(request.GET.get("page"))
    geojson_base = reverse("api:actor_geojson") if full_registry else reverse("actors:directory_geojson")
    return render(
        request,
        "filieres/filiere_detail.html",
        {
            "filiere": filiere,
            "actor_count": page.paginator.count,
            "segments": segments.order_by("position", "name"),
            "page_obj": page,
            "actors": page.object_list,
            "page_query": "",
            "full_registry": full_registry,
            "actor_url_name": actor_url_name(full_registry=full_registry),
            "geojson_url": f"{geojson_base}?filiere={filiere.slug}",
            "directory_url": f"{reverse('actors:directory')}?filiere={filiere.slug}",
        },
    )
