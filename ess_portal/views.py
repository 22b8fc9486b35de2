"""Pages that belong to no app (health check, legal pages, error pages) and the role guard every app uses."""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from accounts.enums import Role


def role_required(role: Role):
    """Let only users holding `role` in; the others get a 403 page."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_role(role):
                raise PermissionDenied("Cet espace est réservé à un autre profil d’utilisateur.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@login_not_required
def health(request):
    """For the load balancer and the container health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
def accessibility(request):
    return render(request, "ess_portal/accessibility.html")


@login_not_required
def legal_notice(request):
    return render(request, "ess_portal/legal_notice.html")


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request):
    """Rendered without context processors: the database or the session may be what failed."""
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())
