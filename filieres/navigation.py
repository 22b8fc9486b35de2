from ess_portal.navigation import NavEntry

ENTRIES = (
    NavEntry("Filières", "filieres:filiere_list", position=20, for_visitors=True),
    NavEntry("Filières", "filieres:filiere_list", position=50),
)
