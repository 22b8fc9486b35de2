from django.urls import reverse

from accounts.enums import Role


def navigation_for(user, current_path: str) -> list[dict]:
    """Main navigation entries for a user: each role sees its own spaces; anonymous visitors the public pages."""
    if not user.is_authenticated:
        items = [
            ("Accueil", reverse("home")),
            ("Annuaire des acteurs", reverse("actors:directory")),
            ("Créer un compte", reverse("accounts:signup")),
        ]
    else:
        items = [("Mon espace", reverse("home")), ("Annuaire des acteurs", reverse("actors:directory"))]
        if user.has_role(Role.STAFF) and user.is_staff:
            items += [
                ("Acteurs", reverse("admin:actors_actor_changelist")),
                ("Demandes", reverse("admin:funding_application_changelist")),
                ("Budget", reverse("admin:funding_budgetline_changelist")),
            ]
        if user.has_role(Role.ADMIN):
            items.append(("Administration", reverse("admin:index")))
        items.append(("Mes tâches", reverse("jobs:job_list")))
        items.append(("Mon compte", reverse("accounts:profile")))
    return [{"label": label, "url": url, "is_current": url == current_path} for label, url in items]
