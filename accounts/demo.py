"""The demo accounts: one user per role, sharing one password, and the applicant's memberships."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group

from accounts.enums import Role
from accounts.models import Membership, User

DEMO_PASSWORD = "demo-ESS-2026!"
DEMO_DOMAIN = "demo.ess-bordeaux.fr"
PARIS = ZoneInfo("Europe/Paris")

DEMO_USERS = [
    # role, e-mail local part, first name, last name, organisation
    (Role.STAFF, "agent", "Camille", "Agent (démo)", "Bordeaux Métropole – service ESS et emploi"),
    (Role.APPLICANT, "porteur", "Sacha", "Porteur (démo)", ""),
    (Role.ELECTED, "elu", "Dominique", "Élu (démo)", "Bordeaux Métropole – vice-présidence ESS"),
    (Role.PROCUREMENT, "achats", "Alex", "Acheteur (démo)", "Bordeaux Métropole – direction des achats"),
    (Role.PARTNER, "partenaire", "Claude", "Partenaire (démo)", "Région Nouvelle-Aquitaine"),
    (Role.ADMIN, "admin", "Morgan", "Administrateur (démo)", "Bordeaux Métropole – service ESS et emploi"),
]


def load_users() -> dict[Role, User]:
    users = {}
    for role, local_part, first_name, last_name, organisation in DEMO_USERS:
        is_admin = role == Role.ADMIN
        user, _ = User.objects.update_or_create(
            email=f"{local_part}@{DEMO_DOMAIN}",
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "organisation": organisation,
                "is_active": True,
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        if hasattr(user, "email_confirmed_at") and user.email_confirmed_at is None:
            user.email_confirmed_at = datetime(2026, 1, 5, 9, 0, tzinfo=PARIS)
            user.save(update_fields=["email_confirmed_at"])
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        group, _ = Group.objects.get_or_create(name=role.value)
        user.groups.add(group)
        users[role] = user
    return users


def load_memberships(actors: list, applicant: User) -> None:
    """The applicant acts for the first two demo actors."""
    for actor in actors[:2]:
        Membership.objects.update_or_create(
            user=applicant, actor=actor, defaults={"position": "Directeur·rice", "is_active": True}
        )
