"""Sourcing requests: a buyer describes a need, matching published suppliers are notified and answer."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from actors.models import Actor
from procurement.asr.eligibility import eligible_to_article
from procurement.asr.models import AsrListing
from procurement.cpv.models import CpvCode, cpv_prefix_condition
from procurement.enums import ReservedArticle, SourcingAnswer, SourcingStatus


class SourcingRequestQuerySet(models.QuerySet):
    def of_buyer(self, user):
        """The requests a buyer wrote (only they see, send and close them)."""
        return self.filter(buyer=user)

    def sent(self):
        return self.filter(sent_at__isnull=False)

    def with_answer_counts(self):
        """Recipients, views, answers and « interested » answers, counted in SQL."""
        return self.annotate(
            recipient_count=models.Count("recipients", distinct=True),
            viewed_count=models.Count("recipients", filter=Q(recipients__viewed_at__isnull=False), distinct=True),
            answer_count=models.Count("recipients", filter=~Q(recipients__answer=""), distinct=True),
            interested_count=models.Count(
                "recipients", filter=Q(recipients__answer=SourcingAnswer.INTERESTED), distinct=True
            ),
        )


class SourcingRecipientQuerySet(models.QuerySet):
    def of_user(self, user):
        """Requests sent to the structures the user acts for (an active membership of an active structure)."""
        return self.filter(
            request__sent_at__isnull=False,
            listing__actor__in=Actor.objects.of_user(user).active().values("pk"),
        )

    def interested(self):
        return self.filter(answer=SourcingAnswer.INTERESTED)

    def to_notify(self):
        return self.filter(notified_at__isnull=True)


class SourcingRequest(models.Model):
    """A buyer's need sent to the matching published suppliers before a tender (« sourcing »)."""

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sourcing_requests", verbose_name="acheteur"
    )
    title = models.CharField("objet du besoin", max_length=250)
    description = models.TextField("description du besoin")
    buying_direction = models.CharField("direction acheteuse", max_length=200, blank=True)
    cpv_codes = models.ManyToManyField(CpvCode, blank=True, related_name="sourcing_requests", verbose_name="codes CPV")
    communes = models.ManyToManyField(
        "actors.Commune",
        blank=True,
        related_name="sourcing_requests",
        verbose_name="communes d’exécution",
        help_text="Vide : toute la métropole.",
    )
    reserved_article = models.CharField(
        "marché réservé",
        max_length=10,
        choices=ReservedArticle.choices,
        blank=True,
        help_text="Vide : marché non réservé.",
    )
    answer_by = models.DateField("réponses attendues avant le")
    status = models.CharField("état", max_length=10, choices=SourcingStatus.choices, default=SourcingStatus.OPEN)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)

    objects = SourcingRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de sourcing"
        verbose_name_plural = "demandes de sourcing"
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    def close(self) -> None:
        """The buyer stops collecting answers (before or after the deadline)."""
        if self.status == SourcingStatus.CLOSED:
            raise ValidationError("Cette demande est déjà close.")
        self.status = SourcingStatus.CLOSED
        self.save(update_fields=["status"])

    def accepts_answers(self, today: date) -> bool:
        """Suppliers answer (or change their answer) until the deadline, unless the buyer closed it first."""
        return self.is_sent and self.status == SourcingStatus.OPEN and today <= self.answer_by

    def matching_listings(self, today: date):
        """The published listings (verified within 12 months) this need is sent to.

        - CPV: a listing code and a requested code share a prefix, in either direction (no code: any listing);
        - communes: the listing serves the whole métropole or one of the communes (no commune: any listing);
        - reserved contract: the structure is eligible to the article today (legal form, agréments in force).
        """
        listings = AsrListing.objects.published(today)
        codes = list(self.cpv_codes.values_list("code", flat=True))
        if codes:
            through = AsrListing.cpv_codes.through.objects.filter(
                cpv_prefix_condition(codes, lookup="cpvcode__code"), asrlisting=OuterRef("pk")
            )
            listings = listings.filter(Exists(through))
        commune_ids = list(self.communes.values_list("pk", flat=True))
        if commune_ids:
            through = AsrListing.communes.through.objects.filter(asrlisting=OuterRef("pk"), commune_id__in=commune_ids)
            listings = listings.filter(Q(serves_whole_metropole=True) | Exists(through))
        if self.reserved_article:
            listings = listings.filter(eligible_to_article(self.reserved_article, today))
        return listings


class SourcingRecipient(models.Model):
    """One supplier a sourcing request was sent to, and what it did with it."""

    request = models.ForeignKey(
        SourcingRequest, on_delete=models.CASCADE, related_name="recipients", verbose_name="demande"
    )
    listing = models.ForeignKey(
        AsrListing, on_delete=models.CASCADE, related_name="sourcing_recipients", verbose_name="fournisseur"
    )
    notified_at = models.DateTimeField("prévenu le", null=True, blank=True)
    viewed_at = models.DateTimeField("consultée le", null=True, blank=True)
    answer = models.CharField("réponse", max_length=15, choices=SourcingAnswer.choices, blank=True)
    answer_message = models.TextField("message du fournisseur", blank=True)
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="répondu par",
    )

    objects = SourcingRecipientQuerySet.as_manager()

    class Meta:
        verbose_name = "fournisseur sollicité"
        verbose_name_plural = "fournisseurs sollicités"
        ordering = ["listing__actor__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "listing"], name="sourcing_recipient_unique")]

    def __str__(self):
        return f"{self.listing.actor} – {self.request}"

    def mark_viewed(self) -> bool:
        """Record the first time a member of the structure opened the request; later views change nothing."""
        now = timezone.now()
        if SourcingRecipient.objects.filter(pk=self.pk, viewed_at__isnull=True).update(viewed_at=now):
            self.viewed_at = now
            return True
        return False

    def record_answer(self, *, answer: str, message: str, by, today: date) -> None:
        """The structure's answer; it may change it until the deadline or the closing of the request."""
        if not self.request.accepts_answers(today):
            raise ValidationError(
                "Cette demande n’accepte plus de réponse : la date limite est passée ou l’acheteur l’a close."
            )
        if answer not in SourcingAnswer.values:
            raise ValidationError({"answer": "Indiquez si votre structure est intéressée ou non."})
        self.answer = answer
        self.answer_message = message
        self.answered_at = timezone.now()
        self.answered_by = by
        self.viewed_at = self.viewed_at or self.answered_at
        self.save(update_fields=["answer", "answer_message", "answered_at", "answered_by", "viewed_at"])
