from django.db import models


class ListingStatus(models.TextChoices):
    """Life of an ASR listing: the structure drafts and submits it, staff publish it or send it back."""

    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Soumise au service ESS"
    PUBLISHED = "published", "Publiée"
    EXPIRED = "expired", "Expirée (non vérifiée depuis 12 mois)"


class RevenueBand(models.TextChoices):
    UNDER_100K = "lt100k", "Moins de 100 000 €"
    FROM_100K = "100k-500k", "De 100 000 € à 500 000 €"
    FROM_500K = "500k-2m", "De 500 000 € à 2 M€"
    FROM_2M = "2m-10m", "De 2 M€ à 10 M€"
    OVER_10M = "gt10m", "Plus de 10 M€"


class ReservedArticle(models.TextChoices):
    """Reserved public contracts of the Code de la commande publique."""

    L2113_12 = "L2113-12", "Art. L2113-12 – entreprises adaptées et ESAT"
    L2113_13 = "L2113-13", "Art. L2113-13 – structures d’insertion par l’activité économique"
    L2113_15 = "L2113-15", "Art. L2113-15 – entreprises de l’ESS (certains services)"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"
    ODS = "ods", "OpenDocument (ODS)"


class SourcingStatus(models.TextChoices):
    OPEN = "open", "Ouverte"
    CLOSED = "closed", "Clôturée"


class SourcingAnswer(models.TextChoices):
    """What a supplier answered to a sourcing request (empty while it has not answered)."""

    INTERESTED = "interested", "Intéressé"
    NOT_INTERESTED = "not_interested", "Pas intéressé"


class SiretMatch(models.TextChoices):
    """How a purchase's supplier SIRET was matched against the registry at import time."""

    MATCHED = "matched", "Structure de l’ESS du registre"
    UNKNOWN = "unknown", "SIRET valide, hors registre ESS"
    MALFORMED = "malformed", "SIRET absent ou invalide"
