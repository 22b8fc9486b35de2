from django.core.management.base import BaseCommand

from ess_portal.jobs.services import sweep_jobs


class Command(BaseCommand):
    help = "Publie à nouveau les tâches restées en attente (broker indisponible) ou abandonnées par un worker arrêté."

    def handle(self, *args, **options):
        count = sweep_jobs()
        self.stdout.write(f"{count} tâche(s) republiée(s).")
