from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    verbose_name = "comptes et rôles"
    name = "accounts"

    def ready(self):
        from accounts import navigation
        from accounts.roles import sync_role_permissions_after_migrate
        from ess_portal.navigation import register_navigation

        # No sender: every app's post_migrate, after django.contrib.auth created that app's permissions
        # (auth is installed before accounts, so its handler is connected, and called, first).
        post_migrate.connect(sync_role_permissions_after_migrate, dispatch_uid="accounts.sync_role_permissions")
        register_navigation(*navigation.ENTRIES)
