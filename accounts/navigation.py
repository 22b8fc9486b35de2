from accounts.enums import Role
from ess_portal.navigation import NavEntry, holding

ENTRIES = (
    NavEntry("Créer un compte", "accounts:signup", position=40, for_visitors=True),
    NavEntry("Administration", "admin:index", position=90, is_visible=holding(Role.ADMIN)),
    NavEntry("Mon compte", "accounts:profile", position=99),
)
