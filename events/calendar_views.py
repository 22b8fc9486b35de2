"""The private iCalendar feed (`/agenda/calendrier/<token>.ics`, no login: the token is the key, 404 when unknown or
revoked) and the page where a signed-in user creates, regenerates or revokes their subscription URL."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from events.calendar import build_calendar
from events.models import CalendarToken

ACTIONS = {"create", "regenerate", "revoke"}


@login_not_required
@require_GET
def calendar_feed(request, token: str):
    """The token owner's calendar, for calendar clients that cannot sign in."""
    subscription = CalendarToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if subscription is None:
        raise Http404("Lien d’abonnement inconnu ou révoqué.")
    body = build_calendar(subscription.user, base_url=f"{request.scheme}://{request.get_host()}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda-ess.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def calendar_subscription(request):
    """Create the subscription URL, regenerate it (the old one stops working) or revoke it."""
    subscription = CalendarToken.objects.filter(user=request.user).first()
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ACTIONS:
            messages.error(request, "Action inconnue.")
        elif action == "revoke":
            if subscription is not None:
                subscription.delete()
            messages.success(
                request, "Le lien d’abonnement est révoqué : les agendas abonnés ne se mettent plus à jour."
            )
        elif subscription is None:
            CalendarToken.objects.create(user=request.user)
            messages.success(request, "Votre lien d’abonnement est créé.")
        elif action == "regenerate":
            subscription.regenerate()
            messages.success(request, "Un nouveau lien est créé ; l’ancien ne fonctionne plus.")
        return redirect("events:calendar_subscription")
    feed_url = None
    if subscription is not None:
        feed_url = request.build_absolute_uri(reverse("events:calendar_feed", args=[subscription.token]))
    return render(request, "events/calendar_subscription.html", {"subscription": subscription, "feed_url": feed_url})
