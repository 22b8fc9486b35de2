from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD
from actors.models import Actor
from home.demo import load_demo


class Command(BaseCommand):
    help = "Charge des données de démonstration fictives (acteurs, comptes par rôle, demandes). Peut être relancée."

    def handle(self, *args, **options):
        users = load_demo()
        self.stdout.write(self.style.SUCCESS(f"{Actor.objects.count()} structures, données de démonstration à jour."))
        self.stdout.write("")
        self.stdout.write("Comptes de démonstration (un mot de passe commun) :")
        header = f"  {'rôle':<45} {'e-mail':<34} mot de passe"
        self.stdout.write(header)
        self.stdout.write("  " + "-" * (len(header) - 2))
        for role, user in users.items():
            self.stdout.write(f"  {role.label:<45} {user.email:<34} {DEMO_PASSWORD}")
