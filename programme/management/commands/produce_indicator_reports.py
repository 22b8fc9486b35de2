from django.core.management.base import BaseCommand

from programme.reports import produce_periodic_reports


class Command(BaseCommand):
    help = (
        "Demande les rapports d’indicateurs du dernier trimestre et de la dernière année terminés (sans doublon), "
        "puis annonce aux élus ceux qui sont prêts : ce que fait chaque jour la tâche planifiée."
    )

    def handle(self, *args, **options):
        for report in produce_periodic_reports():
            if report.job:
                report.job.refresh_from_db()  # with eager tasks (make demo) the job has already run
            state = "prêt" if report.job and report.job.is_done else "en préparation"
            self.stdout.write(f"{report.title} : {state}.")
