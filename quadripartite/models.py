"""The quadripartite ESS convention (plan action 3.1.1): the four signatory collectivities and the other partner
bodies the plan names, the convention and its amendments, the steering and follow-up committees with their
meetings, attendees and decisions, and the yearly rotation of the collectivity that organises them.

Rotation: « chaque collectivité prend à tour de rôle sur 1 an la charge d'organiser ces comités ». The signatories
take turns in their `rotation_order` from ROTATION_START_YEAR; staff may override one year's organiser with a reason.
"""

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from quadripartite.enums import Audience, CommitteeKind, ConventionDocumentKind

ROTATION_START_YEAR = 2022
# The plan's rhythm: « 1 à 2 fois par an » for the steering committee, « 2 à 3 fois par an » for the follow-up one.
EXPECTED_MEETINGS = {CommitteeKind.STEERING: (1, 2), CommitteeKind.FOLLOW_UP: (2, 3)}


def _random_name(folder: str, filename: str) -> str:
    return f"quadripartite/{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def convention_upload_path(instance, filename: str) -> str:
    return _random_name("conventions", filename)


def minutes_upload_path(instance, filename: str) -> str:
    return _random_name("comptes-rendus", filename)


class PartnerQuerySet(models.QuerySet):
    def signatories(self):
        return self.filter(is_signatory=True)


class Partner(models.Model):
    """A signatory collectivity of the quadripartite ESS convention, or another partner body of the plan (CRESS,
    INAE, 3AR, PLIE, CMA, CCI): both co-finance, organise events and attend meetings, only signatories rotate."""

    name = models.CharField("nom", max_length=150, unique=True)
    short_name = models.CharField("nom court", max_length=50)
    slug = models.SlugField("identifiant", max_length=60, unique=True)
    kind = models.CharField("type d’organisme", max_length=60)
    is_signatory = models.BooleanField("signataire de la convention", default=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    rotation_order = models.PositiveSmallIntegerField(
        "rang dans la rotation",
        null=True,
        blank=True,
        help_text="Pour les collectivités signataires : ordre dans lequel elles organisent les comités.",
    )
    actor = models.OneToOneField(
        "actors.Actor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_body",
        verbose_name="fiche dans le répertoire",
        help_text="Quand l’organisme est aussi une structure de l’ESS du répertoire (la CRESS, par exemple).",
    )

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = "partenaire"
        verbose_name_plural = "partenaires"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class PartnerMember(models.Model):
    """A partner user belongs to one partner collectivity or body."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_membership", verbose_name="compte"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="members", verbose_name="partenaire")

    class Meta:
        verbose_name = "membre d’un partenaire"
        verbose_name_plural = "membres des partenaires"

    def __str__(self):
        return f"{self.user} – {self.partner.short_name}"


def partner_of(user) -> Partner | None:
    """The partner a user belongs to, if any (cached on the user for the request)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_partner_cache"):
        membership = PartnerMember.objects.select_related("partner").filter(user=user).first()
        user._partner_cache = membership.partner if membership else None
    return user._partner_cache


class OrganiserOverride(models.Model):
    """A year whose committees another signatory organises than the rotation says, and why."""

    year = models.PositiveSmallIntegerField("année", unique=True)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="organiser_overrides", verbose_name="organisateur"
    )
    reason = models.TextField("motif")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="décidé par"
    )
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    history = HistoricalRecords(verbose_name="historique de l’organisation annuelle")

    class Meta:
        verbose_name = "changement d’organisateur"
        verbose_name_plural = "changements d’organisateur"
        ordering = ["year"]

    def __str__(self):
        return f"{self.year} : {self.partner.short_name}"


def rotation_organiser(year: int, signatories: list[Partner]) -> Partner | None:
    """The signatory whose turn it is in `year`, before any override."""
    if not signatories:
        return None
    return signatories[(year - ROTATION_START_YEAR) % len(signatories)]


def organisers(years) -> dict[int, tuple[Partner | None, OrganiserOverride | None]]:
    """`{year: (organiser, override or None)}` for the given years, in two queries."""
    years = list(years)
    signatories = list(Partner.objects.signatories().exclude(rotation_order=None).order_by("rotation_order", "pk"))
    overrides = {
        item.year: item for item in OrganiserOverride.objects.filter(year__in=years).select_related("partner")
    }
    return {
        year: (overrides[year].partner, overrides[year])
        if year in overrides
        else (
            rotation_organiser(year, signatories),
            None,
        )
        for year in years
    }


class ConventionDocument(models.Model):
    """The quadripartite convention (2021) or one of its amendments, with the signed file."""

    kind = models.CharField("nature", max_length=20, choices=ConventionDocumentKind.choices)
    title = models.CharField("intitulé", max_length=250)
    signed_on = models.DateField("signé le")
    summary = models.TextField("objet", blank=True)
    file = models.FileField("fichier signé", upload_to=convention_upload_path, blank=True)
    original_name = models.CharField("nom du fichier", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="saisi par"
    )

    history = HistoricalRecords(verbose_name="historique de la convention")

    class Meta:
        verbose_name = "convention ou avenant"
        verbose_name_plural = "convention et avenants"
        ordering = ["signed_on", "pk"]

    def __str__(self):
        return f"{self.title} ({self.signed_on:%d/%m/%Y})"


class MeetingQuerySet(models.QuerySet):
    def counts_by_year_and_kind(self) -> dict[tuple[int, str], dict]:
        """`{(year, kind): {"held": n, "scheduled": n}}` in one query."""
        today = timezone.localdate()
        rows = self.values("held_on__year", "committee").annotate(
            held=Count("pk", filter=Q(held_on__lte=today)), scheduled=Count("pk", filter=Q(held_on__gt=today))
        )
        return {
            (row["held_on__year"], row["committee"]): {"held": row["held"], "scheduled": row["scheduled"]}
            for row in rows
        }


class Meeting(models.Model):
    """A meeting of the steering committee (élus and technicians) or of the follow-up committee (technicians)."""

    committee = models.CharField("comité", max_length=20, choices=CommitteeKind.choices)
    held_on = models.DateField("date")
    place = models.CharField("lieu", max_length=200, blank=True)
    organiser = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="organised_meetings", verbose_name="collectivité organisatrice"
    )
    agenda = models.TextField("ordre du jour", blank=True)
    minutes = models.TextField("compte rendu", blank=True)
    minutes_file = models.FileField("compte rendu (fichier)", upload_to=minutes_upload_path, blank=True)
    minutes_file_name = models.CharField("nom du fichier", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="saisi par"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="historique de la réunion")

    class Meta:
        verbose_name = "réunion de la convention quadripartite"
        verbose_name_plural = "réunions de la convention quadripartite"
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.get_committee_display()} du {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("quadripartite:meeting_detail", args=[self.pk])


class Attendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees", verbose_name="réunion")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name="partenaire")
    name = models.CharField("nom", max_length=150)
    audience = models.CharField("qualité", max_length=20, choices=Audience.choices)

    class Meta:
        verbose_name = "participant"
        verbose_name_plural = "participants"
        ordering = ["partner__position", "name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.partner.short_name})"


class DecisionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_on__isnull=True)

    def follow_up_order(self):
        """Open decisions first, the late ones at the top (the oldest due date first), then those without a due
        date; done decisions last, the most recently done first."""
        today = timezone.localdate()
        return self.annotate(
            is_done=Q(done_on__isnull=False),
            # Explicit booleans: on PostgreSQL `due_on < today` is NULL for an undated decision and would sort first.
            is_late=models.Case(
                models.When(done_on__isnull=True, due_on__lt=today, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            ),
            open_due_on=models.Case(models.When(done_on__isnull=True, then=models.F("due_on"))),
        ).order_by(
            "is_done",
            "-is_late",
            models.F("open_due_on").asc(nulls_last=True),
            models.F("done_on").desc(nulls_last=True),
            "pk",
        )


class Decision(models.Model):
    """A decision of a meeting, carried by one partner, to do by a date, marked done when it is."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name="réunion")
    text = models.TextField("décision")
    owner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="decisions", verbose_name="partenaire en charge"
    )
    due_on = models.DateField("échéance", null=True, blank=True)
    done_on = models.DateField("réalisée le", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="marquée réalisée par",
    )

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="historique de la décision")

    class Meta:
        verbose_name = "décision"
        verbose_name_plural = "décisions"
        ordering = ["pk"]

    def __str__(self):
        return self.text[:80]

    def is_late(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.done_on is None and self.due_on is not None and self.due_on < today


def meeting_rhythm(years) -> list[dict]:
    """Per year: its organiser (and override), and per committee the meetings held and scheduled against the
    plan's expected number; `short` when the year cannot reach the minimum with what is held and scheduled."""
    years = sorted(years)
    counts = Meeting.objects.filter(held_on__year__in=years).counts_by_year_and_kind()
    organiser_by_year = organisers(years)
    rows = []
    for year in years:
        committees = []
        for kind, (minimum, maximum) in EXPECTED_MEETINGS.items():
            count = counts.get((year, kind.value), {"held": 0, "scheduled": 0})
            missing = max(minimum - count["held"] - count["scheduled"], 0)
            committees.append(
                {
                    "kind": kind,
                    "label": kind.label,
                    "held": count["held"],
                    "scheduled": count["scheduled"],
                    "minimum": minimum,
                    "maximum": maximum,
                    "missing": missing,
                }
            )
        organiser, override = organiser_by_year[year]
        rows.append(
            {
                "year": year,
                "organiser": organiser,
                "override": override,
                "committees": committees,
                "short": any(item["missing"] for item in committees),
            }
        )
    return rows
