from django.db import models


class Role(models.TextChoices):
    """The roles of DESIGN.md; each one is a Django group of the same name."""

    STAFF = "staff", "Agent du service ESS"
    APPLICANT = "applicant", "Porteur de projet"
    ELECTED = "elected", "Élu·e"
    PROCUREMENT = "procurement", "Direction des achats"
    PARTNER = "partner", "Partenaire de la convention quadripartite"
    ADMIN = "admin", "Administrateur"
