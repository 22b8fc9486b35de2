from django.core.management.base import BaseCommand

from accounts.roles import sync_role_permissions


class Command(BaseCommand):
    help = "Crée les groupes des rôles et leur donne exactement les permissions prévues dans accounts/roles.py."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="Base de données à mettre à jour.")

    def handle(self, *args, database, **options):
        sync_role_permissions(using=database)
        self.stdout.write(self.style.SUCCESS("Rôles et permissions synchronisés."))
