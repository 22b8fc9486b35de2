from django.db import models


class BudgetSection(models.TextChoices):
    FONCTIONNEMENT = "fonctionnement", "Fonctionnement"
    INVESTISSEMENT = "investissement", "Investissement"


class BudgetRevisionKind(models.TextChoices):
    VOTE = "vote", "vote du budget"
    AMENDMENT = "amendment", "décision modificative"


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


class StateAidRegime(models.TextChoices):
    """How EU state-aid rules classify the aid of a scheme (it decides the de minimis ceiling)."""

    NOT_STATE_AID = "not_state_aid", "Pas une aide d’État"
    DE_MINIMIS = "de_minimis", "De minimis général (règlement UE 2023/2831)"
    SIEG_DE_MINIMIS = "sieg_de_minimis", "De minimis SIEG (règlement UE 2023/2832)"
    BLOCK_EXEMPTION = "block_exemption", "Exemption par catégorie (RGEC)"


class DocumentKind(models.TextChoices):
    """Documents of a structure (kept in its vault and reused) or of one application."""

    STATUTES = "statuts", "Statuts"
    RIB = "rib", "Relevé d’identité bancaire"
    ACCOUNTS = "comptes", "Derniers comptes approuvés"
    ACTIVITY_REPORT = "rapport_activite", "Dernier rapport d’activité"
    BUDGET = "budget_previsionnel", "Budget prévisionnel du projet"
    QUOTE = "devis", "Devis"
    FINAL_REPORT = "bilan", "Bilan final du projet"
    OTHER = "autre", "Autre pièce"

    @classmethod
    def vault_kinds(cls) -> list[str]:
        """Kinds that belong to the structure, not to one application: reused by the next application."""
        return [cls.STATUTES, cls.RIB, cls.ACCOUNTS, cls.ACTIVITY_REPORT]


class FinancingSide(models.TextChoices):
    EXPENSE = "expense", "Dépense"
    RESOURCE = "resource", "Ressource"


class PaymentConditions(models.TextChoices):
    SINGLE = "single", "Versement unique"
    INSTALMENTS = "instalments", "Avance puis solde après le bilan final"


class PaymentKind(models.TextChoices):
    SINGLE = "single", "Versement unique"
    ADVANCE = "advance", "Avance"
    BALANCE = "balance", "Solde"


class CommitmentKind(models.TextChoices):
    """What a commitment spends its budget line on: a grant (through an application) or another spending."""

    GRANT = "grant", "subvention"
    SCIC_SHARES = "scic_shares", "souscription de parts de SCIC"
    FONCIERE_CAPITAL = "fonciere_capital", "capitalisation de la foncière solidaire"
    MEMBERSHIP = "membership", "cotisation ou convention de partenariat"
    SERVICE_PURCHASE = "service_purchase", "étude ou prestation"
    # The Prix coup de cœur ESS: a prize paid to a laureate structure, awarded by a jury rather than instructed.
    PRIZE = "prize", "prix coup de cœur ESS"

    @classmethod
    def spending_choices(cls) -> list[tuple[str, str]]:
        """Kinds committed directly by staff or by the SCIC and foncière apps (grants go through an application)."""
        return [(value, label) for value, label in cls.choices if value != cls.GRANT]
