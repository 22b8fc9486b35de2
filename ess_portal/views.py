"""Pages that belong to no app: the landing page, one home page per role, legal pages, error pages."""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.enums import Role

ROLE_HOME_URL_NAMES = {
    Role.STAFF: "staff_home",
    Role.APPLICANT: "applicant_home",
    Role.ELECTED: "elected_home",
    Role.PROCUREMENT: "procurement_home",
    Role.PARTNER: "partner_home",
    Role.ADMIN: "admin_home",
}


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
def home(request):
    if request.user.is_authenticated and request.user.main_role:
        return redirect(ROLE_HOME_URL_NAMES[request.user.main_role])
    return render(request, "ess_portal/home_public.html")


@role_required(Role.STAFF)
def staff_home(request):
    return render(request, "ess_portal/home_staff.html")


@role_required(Role.APPLICANT)
def applicant_home(request):
    return render(request, "ess_portal/home_applicant.html")


@role_required(Role.ELECTED)
def elected_home(request):
    return render(request, "ess_portal/home_elected.html")


@role_required(Role.PROCUREMENT)
def procurement_home(request):
    return render(request, "ess_portal/home_procurement.html")


@role_required(Role.PARTNER)
def partner_home(request):
    return render(request, "ess_portal/home_partner.html")


@role_required(Role.ADMIN)
def admin_home(request):
    return render(request, "ess_portal/home_admin.html", {"admin_url": reverse("admin:index")})


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
    return render(request, "500.html", status=500)
