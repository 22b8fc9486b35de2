from ess_portal.navigation import NavEntry

ENTRIES = (NavEntry("Mes tâches", "jobs:job_list", position=95),)
