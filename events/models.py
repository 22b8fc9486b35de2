"""ESS events (Mois de l'ESS, forums, petits déjeuners, trainings of the référents… plan actions 2.6, 3.1, 3.2, 3.3)
with the attendance recorded after them, the Prix coup de cœur ESS (editions, categories, candidates, jury,
laureates paid through funding's commitments) and the log of the Métropole's participations in the Global Social
Economy Forum (GSEF) with their documents.

Events name the plan action they implement by its code ("3.2"), not by a key: `programme` sits above this app.
"""

import datetime
import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from events.enums import EventKind, GsefKind

MONEY = {"max_digits": 12, "decimal_places": 2}
ACTION_CODE = RegexValidator(r"^\d(\.\d+){1,2}$", "Indiquez le code d’une action du plan, par exemple 3.2.")


# --- QuerySets ----------------------------------------------------------------------------------------------------


class EventQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def upcoming(self, *, on: datetime.date):
        """Events not over on `on` (a one-day event has no end date)."""
        return self.filter(Q(ends_on__gte=on) | Q(ends_on__isnull=True, starts_on__gte=on))

    def in_year(self, year: int):
        return self.filter(starts_on__year=year)

    def for_action(self, code: str):
        """Events of a plan action and of its sub-actions ("3.1" holds "3.1.1")."""
        return self.filter(Q(plan_action_code=code) | Q(plan_action_code__startswith=f"{code}."))

    def held_by(self, on: datetime.date):
        """Events that have started by `on`: the only ones whose attendance may be recorded."""
        return self.filter(starts_on__lte=on)


# --- Events -------------------------------------------------------------------------------------------------------


class Event(models.Model):
    """An ESS event organised or co-organised by the Métropole, with its attendance once held."""

    kind = models.CharField("type", max_length=30, choices=EventKind.choices)
    title = models.CharField("titre", max_length=200)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin", null=True, blank=True, help_text="Vide pour un évènement d’une journée.")
    place = models.CharField("lieu", max_length=200, blank=True)
    commune = models.ForeignKey(
        "actors.Commune", verbose_name="commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organising_partners = models.ManyToManyField(
        "quadripartite.Partner", verbose_name="partenaires organisateurs", blank=True, related_name="+"
    )
    organising_communes = models.ManyToManyField(
        "actors.Commune", verbose_name="communes organisatrices", blank=True, related_name="+"
    )
    actors = models.ManyToManyField("actors.Actor", verbose_name="acteurs impliqués", blank=True, related_name="+")
    plan_action_code = models.CharField(
        "action du plan",
        max_length=10,
        blank=True,
        validators=[ACTION_CODE],
        help_text="Code de l’action du plan 2022-2026 que l’évènement met en œuvre, par exemple 3.2.",
    )
    is_public = models.BooleanField(
        "public",
        default=True,
        help_text="Un évènement public paraît dans l’agenda ouvert à tous ; sinon il est interne.",
    )
    description = models.TextField("description", blank=True)
    # Attendance, recorded after the event (empty until then).
    elected_count = models.PositiveIntegerField("élus présents", null=True, blank=True)
    staff_count = models.PositiveIntegerField("techniciens et agents présents", null=True, blank=True)
    public_count = models.PositiveIntegerField("grand public et acteurs présents", null=True, blank=True)
    attendance_recorded_at = models.DateTimeField("participation enregistrée le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="créé par", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[organising_partners, organising_communes, actors])

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "évènement ESS"
        verbose_name_plural = "évènements ESS"
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="event_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.starts_on:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("events:event_detail", args=[self.pk])

    @property
    def last_day(self) -> datetime.date:
        return self.ends_on or self.starts_on

    @property
    def has_attendance(self) -> bool:
        return self.attendance_recorded_at is not None

    @property
    def participant_count(self) -> int | None:
        if not self.has_attendance:
            return None
        return (self.elected_count or 0) + (self.staff_count or 0) + (self.public_count or 0)

    def clean(self):
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "La fin de l’évènement ne peut précéder son début."})

    def record_attendance(self, *, elected: int, staff: int, public: int, today: datetime.date) -> None:
        """Record how many people came, by audience; only once the event has begun."""
        if self.starts_on > today:
            raise ValidationError(
                "La participation s’enregistre après l’évènement : il commence le %(day)s.",
                code="not_held",
                params={"day": f"{self.starts_on:%d/%m/%Y}"},
            )
        if min(elected, staff, public) < 0:
            raise ValidationError("Un nombre de participants ne peut être négatif.", code="negative")
        self.elected_count, self.staff_count, self.public_count = elected, staff, public
        self.attendance_recorded_at = timezone.now()
        self.save(
            update_fields=["elected_count", "staff_count", "public_count", "attendance_recorded_at"],
        )


# --- The Prix coup de cœur ESS ------------------------------------------------------------------------------------


class PrizeEdition(models.Model):
    """A yearly edition of the Prix coup de cœur ESS; its prizes are committed on the year's budget line."""

    year = models.PositiveSmallIntegerField("année", unique=True, validators=[MinValueValidator(2022)])
    ceremony = models.ForeignKey(
        Event,
        verbose_name="cérémonie",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": EventKind.PRIX_COUP_DE_COEUR},
    )
    notes = models.TextField("notes", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "édition du prix coup de cœur ESS"
        verbose_name_plural = "éditions du prix coup de cœur ESS"
        ordering = ["-year"]

    def __str__(self):
        return f"Prix coup de cœur ESS {self.year}"

    def get_absolute_url(self):
        return reverse("events:prize_edition_detail", args=[self.year])


class PrizeCategory(models.Model):
    edition = models.ForeignKey(
        PrizeEdition, verbose_name="édition", on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField("catégorie", max_length=150)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "catégorie du prix"
        verbose_name_plural = "catégories du prix"
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["edition", "name"], name="prize_category_unique_name")]

    def __str__(self):
        return f"{self.name} ({self.edition.year})"


class PrizeCandidate(models.Model):
    category = models.ForeignKey(
        PrizeCategory, verbose_name="catégorie", on_delete=models.CASCADE, related_name="candidates"
    )
    actor = models.ForeignKey("actors.Actor", verbose_name="structure", on_delete=models.PROTECT, related_name="+")
    project = models.CharField("projet présenté", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "candidature au prix"
        verbose_name_plural = "candidatures au prix"
        ordering = ["category", "actor__name"]
        constraints = [models.UniqueConstraint(fields=["category", "actor"], name="prize_candidate_unique")]

    def __str__(self):
        return f"{self.actor} – {self.category}"


class JuryMember(models.Model):
    edition = models.ForeignKey(PrizeEdition, verbose_name="édition", on_delete=models.CASCADE, related_name="jury")
    name = models.CharField("nom", max_length=150)
    organisation = models.CharField("organisme", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "membre du jury"
        verbose_name_plural = "membres du jury"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["edition", "name"], name="jury_member_unique")]

    def __str__(self):
        return self.name


class Laureate(models.Model):
    """A candidate awarded a prize; the amount is committed (and paid) on a budget line through funding."""

    candidate = models.OneToOneField(
        PrizeCandidate, verbose_name="candidature", on_delete=models.PROTECT, related_name="laureate"
    )
    amount = models.DecimalField("dotation", **MONEY, validators=[MinValueValidator(0)])
    commitment = models.OneToOneField(
        "funding.Commitment", verbose_name="engagement", on_delete=models.PROTECT, related_name="+"
    )
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="enregistré par", on_delete=models.PROTECT, related_name="+"
    )
    awarded_at = models.DateTimeField("enregistré le", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "lauréat du prix"
        verbose_name_plural = "lauréats du prix"
        ordering = ["candidate__category", "candidate__actor__name"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="laureate_amount_positive")]

    def __str__(self):
        return str(self.candidate)


# --- GSEF ---------------------------------------------------------------------------------------------------------


class GsefParticipation(models.Model):
    """A general assembly, board, forum or bid of the Global Social Economy Forum the Métropole took part in."""

    kind = models.CharField("type", max_length=30, choices=GsefKind.choices)
    title = models.CharField("intitulé", max_length=200)
    held_on = models.DateField("date")
    place = models.CharField("lieu", max_length=200, blank=True)
    attendees = models.TextField("délégation", blank=True, help_text="Élus et agents présents, un par ligne.")
    notes = models.TextField("notes", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="créé par", on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "participation au GSEF"
        verbose_name_plural = "participations au GSEF"
        ordering = ["-held_on", "pk"]

    def __str__(self):
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("events:gsef_detail", args=[self.pk])


def gsef_document_path(document, filename: str) -> str:
    return f"events/gsef/{timezone.now():%Y/%m}/{PurePath(filename).name}"


class GsefDocument(models.Model):
    participation = models.ForeignKey(
        GsefParticipation, verbose_name="participation", on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField("fichier", upload_to=gsef_document_path, max_length=255)
    original_name = models.CharField("nom du fichier", max_length=255)
    content_type = models.CharField("type", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="déposé par", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "document GSEF"
        verbose_name_plural = "documents GSEF"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


# --- Calendar subscriptions ---------------------------------------------------------------------------------------


def new_calendar_token() -> str:
    """43 url-safe characters (32 random bytes)."""
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a user's private iCalendar feed URL. Regenerating it replaces the value (the old URL stops
    working); revoking deletes the row. The history keeps who and when, never the secret itself."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField("jeton", max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        verbose_name = "jeton d’abonnement à l’agenda"
        verbose_name_plural = "jetons d’abonnement à l’agenda"

    def __str__(self):
        return f"Agenda de {self.user}"

    def regenerate(self) -> None:
        """A new secret: the previous subscription URL answers 404 from now on."""
        self.token = new_calendar_token()
        self.created_at = timezone.now()
        self.save(update_fields=["token", "created_at"])
