from django.db import models


class EventKind(models.TextChoices):
    """The kinds of ESS events of the plan (actions 2.6, 3.1, 3.2, 3.3)."""

    MOIS_ESS = "mois_ess", "Mois de l’ESS"
    PRIX_COUP_DE_COEUR = "prix_coup_de_coeur", "Prix coup de cœur ESS (cérémonie)"
    MARCHE_NOEL = "marche_noel", "marché de Noël solidaire"
    FORUM = "forum", "Forum ESS"
    PETIT_DEJEUNER = "petit_dejeuner", "petit déjeuner ESS"
    FORMATION_REFERENTS = "formation_referents", "formation des référents ESS"
    VISITE_APPRENANTE = "visite_apprenante", "visite apprenante du réseau des développeurs"
    COMMISSION = "commission", "intervention en commission"
    OTHER = "other", "autre"


class GsefKind(models.TextChoices):
    """What the Métropole took part in at the Global Social Economy Forum."""

    GENERAL_ASSEMBLY = "general_assembly", "assemblée générale"
    BOARD = "board", "conseil d’administration"
    FORUM = "forum", "forum mondial"
    BID = "bid", "candidature"
    OTHER = "other", "autre"
