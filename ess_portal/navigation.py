from django.urls import reverse

from accounts.enums import Role
from actors.permissions import can_view_registry
from funding.permissions import can_instruct, can_view_instruction
from procurement.permissions import can_manage_contracts, can_read_spend_report, can_use_buyer_directory
from programme.permissions import can_view_plan


def navigation_for(user, current_path: str) -> list[dict]:
    """Main navigation entries for a user: each role sees its own spaces; anonymous visitors the public pages.

    Staff reach the less frequent pages (import, claims, scheme management) from their home page shortcuts.
    """
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
        if user.has_role(Role.APPLICANT):
            items += [
                ("Mes dossiers", reverse("funding:applicant_application_list")),
                ("Dispositifs de soutien", reverse("funding:scheme_list")),
                ("Demandes des acheteurs", reverse("procurement:sourcing_received")),
            ]
        if can_view_registry(user):
            items.append(("Acteurs", reverse("actors:actor_list")))
        else:
            items.append(("Annuaire", reverse("actors:directory")))
        if can_view_instruction(user):
            items += [
                ("Instruction", reverse("funding:queue")),
                ("Séances", reverse("funding:session_list")),
                ("Budget", reverse("funding:budget_current")),
            ]
        if can_instruct(user):
            items.append(("Dispositifs", reverse("funding:scheme_manage_list")))
        if can_use_buyer_directory(user):
            items += [
                ("Annuaire ASR", reverse("procurement:directory")),
                ("Sourcing", reverse("procurement:sourcing_list")),
            ]
        if can_read_spend_report(user):
            items.append(("Achats ESS", reverse("procurement:spend_index")))
        if can_manage_contracts(user):
            # The PLIE facilitators of a contract reach theirs from their home page (no query on every page here).
            items.append(("Clauses d’insertion", reverse("procurement:contract_list")))
        items.append(("Filières", reverse("filieres:filiere_list")))
        if can_view_plan(user):
            items += [
                ("Plan d’actions", reverse("programme:plan")),
                ("Tableau de bord", reverse("programme:dashboard")),
            ]
        if user.has_role(Role.ADMIN):
            items.append(("Administration", reverse("admin:index")))
        items.append(("Mes tâches", reverse("jobs:job_list")))
        items.append(("Mon compte", reverse("accounts:profile")))
    # The current entry is the one whose address is the longest prefix of the page's (« Tableau de bord » at
    # /plan/tableau-de-bord/ rather than « Plan d’actions » at /plan/).
    matches = [url for _, url in items if url == current_path or (url != "/" and current_path.startswith(url))]
    current = max(matches, key=len, default=None)
    return [{"label": label, "url": url, "is_current": url == current} for label, url in items]
