from django.urls import reverse

from accounts.enums import Role
from actors.permissions import can_manage_actors, can_view_registry


def navigation_for(user, current_path: str) -> list[dict]:
    """Main navigation entries for a user: each role sees its own spaces; anonymous visitors the public pages."""
    if not user.is_authenticated:
        items = [
            ("Accueil", reverse("home")),
            ("Annuaire des acteurs", reverse("actors:directory")),
            ("Filières", reverse("filieres:filiere_list")),
            ("Dispositifs de soutien", reverse("funding:scheme_list")),
            ("Créer un compte", reverse("accounts:signup")),
        ]
    else:
        items = [("Mon espace", reverse("home"))]
        if can_view_registry(user):
            items.append(("Registre des acteurs", reverse("actors:actor_list")))
        else:
            items.append(("Annuaire des acteurs", reverse("actors:directory")))
        items.append(("Filières", reverse("filieres:filiere_list")))
        if user.has_role(Role.APPLICANT):
            items.append(("Dispositifs de soutien", reverse("funding:scheme_list")))
        if can_manage_actors(user):
            items += [
                ("Import", reverse("actors:import_list")),
                ("Rattachements", reverse("accounts:claim_list")),
            ]
        if user.has_role(Role.ADMIN):
            items.append(("Administration", reverse("admin:index")))
        items.append(("Mes tâches", reverse("jobs:job_list")))
        items.append(("Mon compte", reverse("accounts:profile")))
    return [
        {
            "label": label,
            "url": url,
            "is_current": url == current_path or (url != "/" and current_path.startswith(url)),
        }
        for label, url in items
    ]
