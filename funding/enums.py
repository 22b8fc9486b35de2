from django.db import models


class BudgetSection(models.TextChoices):
    FONCTIONNEMENT = "fonctionnement", "Fonctionnement"
    INVESTISSEMENT = "investissement", "Investissement"


class ApplicationStatus(models.TextChoices):
    """Lifecycle of a grant application (dossier); the transitions are added with the instruction."""

    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Déposé"
    IN_REVIEW = "in_review", "En instruction"
    INFO_REQUESTED = "info_requested", "Compléments demandés"
    PROPOSED = "proposed", "Proposé au conseil"
    APPROVED = "approved", "Accordé"
    REJECTED = "rejected", "Refusé"
    WITHDRAWN = "withdrawn", "Retiré"
    AGREEMENT_SIGNED = "agreement_signed", "Convention signée"
    PAID = "paid", "Versé"
    CLOSED = "closed", "Clôturé"
