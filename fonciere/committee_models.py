"""The foncière's comité d'engagement (plan action 2.3): ESS projects looking for premises express their need (from
the applicant's space or through the ESS service), the comité examines them at its sittings and gives its opinion,
matching a favourable need with one of the foncière's properties.

Registered with Django through `fonciere/models.py`."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from fonciere.enums import CommitteeDecision, PremisesRequestStatus, PropertyUse
from fonciere.permissions import can_view_fonciere

SURFACE = {"max_digits": 10, "decimal_places": 2}
MONEY = {"max_digits": 12, "decimal_places": 2}


class PremisesRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readers of the foncière see every need; an applicant the needs of their structures; others none."""
        if can_view_fonciere(user):
            return self
        if user.is_authenticated:
            return self.filter(actor__in=user.memberships.active().values("actor_id"))
        return self.none()

    def awaiting_committee(self):
        """The needs a sitting can put on its agenda."""
        return self.filter(status=PremisesRequestStatus.OPEN)


class PremisesRequest(models.Model):
    """An ESS structure's need for premises, to be proposed to the comité d'engagement."""

    actor = models.ForeignKey(
        "actors.Actor", on_delete=models.PROTECT, related_name="premises_requests", verbose_name="structure"
    )
    application = models.ForeignKey(
        "funding.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="premises_requests",
        verbose_name="demande d’aide liée",
    )
    surface_needed = models.DecimalField(
        "surface recherchée (m²)", **SURFACE, validators=[MinValueValidator(Decimal("1"))]
    )
    use = models.CharField("usage", max_length=20, choices=PropertyUse.choices)
    commune = models.ForeignKey(
        "actors.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="premises_requests",
        verbose_name="commune souhaitée",
    )
    filiere = models.ForeignKey(
        "filieres.Filiere",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="premises_requests",
        verbose_name="filière",
    )
    yearly_budget = models.DecimalField(
        "budget annuel de loyer (€)", **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    needed_from = models.DateField("date d’entrée souhaitée", null=True, blank=True)
    description = models.TextField("projet et besoin", max_length=4000)
    status = models.CharField(
        "état", max_length=20, choices=PremisesRequestStatus.choices, default=PremisesRequestStatus.OPEN
    )
    matched_property = models.ForeignKey(
        "fonciere.Property",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="premises_requests",
        verbose_name="bien proposé",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="exprimé par",
    )
    created_at = models.DateTimeField("exprimé le", auto_now_add=True)

    objects = PremisesRequestQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="historique du besoin de locaux")

    class Meta:
        verbose_name = "besoin de locaux"
        verbose_name_plural = "besoins de locaux"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(surface_needed__gt=0), name="fonciere_request_surface_positive"),
            models.CheckConstraint(
                condition=Q(matched_property__isnull=True) | Q(status=PremisesRequestStatus.FAVOURABLE),
                name="fonciere_request_property_only_when_favourable",
            ),
        ]

    def __str__(self):
        return f"Besoin de {self.actor} ({self.surface_needed:.0f} m²)"

    def get_absolute_url(self):
        return reverse("fonciere:premises_request_detail", args=[self.pk])

    @property
    def can_be_withdrawn(self) -> bool:
        return self.status in (PremisesRequestStatus.OPEN, PremisesRequestStatus.ON_AGENDA)


class CommitteeSitting(models.Model):
    """A sitting of the comité d'engagement: its agenda is the proposals of ESS projects looking for premises."""

    held_on = models.DateField("date de la séance")
    place = models.CharField("lieu", max_length=200, blank=True)
    attendees = models.TextField("membres présents", blank=True)
    minutes = models.TextField("compte rendu", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisi par",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    history = HistoricalRecords(verbose_name="historique de la séance")

    class Meta:
        verbose_name = "séance du comité d’engagement"
        verbose_name_plural = "séances du comité d’engagement"
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"Comité d’engagement du {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("fonciere:committee_sitting_detail", args=[self.pk])


class CommitteeProposal(models.Model):
    """A need for premises on a sitting's agenda, and the comité's opinion on it."""

    sitting = models.ForeignKey(
        CommitteeSitting, on_delete=models.CASCADE, related_name="proposals", verbose_name="séance"
    )
    request = models.ForeignKey(
        PremisesRequest, on_delete=models.PROTECT, related_name="proposals", verbose_name="besoin de locaux"
    )
    decision = models.CharField(
        "avis", max_length=20, choices=CommitteeDecision.choices, default=CommitteeDecision.PENDING
    )
    property = models.ForeignKey(
        "fonciere.Property",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_proposals",
        verbose_name="bien proposé",
    )
    reason = models.TextField("motif communiqué à la structure", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="avis saisi par",
    )
    decided_at = models.DateTimeField("avis saisi le", null=True, blank=True)

    history = HistoricalRecords(verbose_name="historique de la proposition")

    class Meta:
        verbose_name = "proposition au comité d’engagement"
        verbose_name_plural = "propositions au comité d’engagement"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "request"], name="fonciere_proposal_once_per_sitting"),
            models.CheckConstraint(
                condition=Q(property__isnull=True) | Q(decision=CommitteeDecision.FAVOURABLE),
                name="fonciere_proposal_property_only_when_favourable",
            ),
        ]

    def __str__(self):
        return f"{self.request} – {self.sitting}"
