from ess_portal.navigation import NavEntry

ENTRIES = (
    NavEntry("Accueil", "home", position=0, for_visitors=True),
    NavEntry("Mon espace", "home", position=0),
)
