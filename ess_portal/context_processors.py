from django.conf import settings


def navigation(request):
    """Role-aware navigation entries for the base template."""
    from ess_portal.navigation import navigation_for

    return {
        "nav_items": navigation_for(request.user, request.path),
        "site_url": settings.SITE_URL,
    }
