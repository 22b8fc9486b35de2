from django.urls import reverse

from accounts.enums import Role


def navigation_for(user, current_path: str) -> list[dict]:
    """Main navigation entries for a user; anonymous visitors get the public pages."""
    items: list[tuple[str, str]] = []
    if not user.is_authenticated:
        items = [("Accueil", reverse("home")), ("Créer un compte", reverse("accounts:signup"))]
    else:
        items = [("Mon espace", reverse("home"))]
        if user.has_role(Role.ADMIN):
            items.append(("Administration", reverse("admin:index")))
        items.append(("Mes tâches", reverse("jobs:job_list")))
    return [{"label": label, "url": url, "is_current": url == current_path} for label, url in items]
