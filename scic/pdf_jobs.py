"""The deliberation dossier of a SCIC stake in PDF, produced by a background job on the "reports" queue.

- `scic_stake_dossier` (parameters: `movement_id`): one subscription of the Métropole (a `ShareMovement`): the SCIC
  and its project, the stake (shares × nominal), the SCIC fund line of its year before and after the stake, the
  public share of the capital before and after it against the 50 % cap, and the Métropole's representatives.

Registered when the scic app is ready (scic/apps.py). The handler only reads the database: running it twice gives
the same file.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Q, Sum
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone

from ess_portal.formatting import percentage
from ess_portal.jobs.enums import JobKind
from ess_portal.jobs.registry import JobFailed, register
from ess_portal.jobs.services import request_job
from ess_portal.pdf import render_pdf
from funding.models import Commitment
from scic.models import PUBLIC_SHARE_CAP_PERCENT, ShareMovement

STAKE_TEMPLATE = "scic/pdf/stake_dossier.html"


def request_stake_dossier(*, movement: ShareMovement, by, form_key: str):
    """One job per displayed form: a double click on the button gives back the same job."""
    return request_job(
        kind=JobKind.SCIC_STAKE_DOSSIER,
        parameters={"movement_id": movement.pk},
        requested_by=by,
        idempotency_key=f"{JobKind.SCIC_STAKE_DOSSIER}:{movement.pk}:{by.pk}:{form_key}",
    )


def fund_situation(movement: ShareMovement) -> dict | None:
    """The SCIC fund line the stake is committed on: voted, committed before the stake (the line's commitments
    recorded earlier), the stake, committed after it and what remained. None for a stake without commitment."""
    commitment = movement.commitment
    if commitment is None:
        return None
    line = commitment.budget_line
    before = Commitment.objects.filter(budget_line=line, pk__lt=commitment.pk).aggregate(total=Sum("amount"))
    committed_before = before["total"] or Decimal("0.00")
    committed_after = committed_before + commitment.amount
    return {
        "line": line,
        "commitment": commitment,
        "voted": line.voted_amount,
        "committed_before": committed_before,
        "stake": commitment.amount,
        "committed_after": committed_after,
        "remaining": line.voted_amount - committed_after,
    }


def public_share(movement: ShareMovement) -> dict:
    """The public share of the capital on the stake's date, with and without the stake (a subscription is new
    capital: both the public holding and the capital grow by its amount), as `scic.services` checks it."""
    after = movement.scic.figures_on(movement.moved_on)
    rows = {}
    for moment, less in (("before", movement.amount), ("after", Decimal("0.00"))):
        capital = after.capital_amount - less
        metropole = after.metropole_amount - less
        public = metropole + after.other_public_amount
        rows[moment] = {
            "capital": capital,
            "metropole": metropole,
            "metropole_percent": percentage(metropole, capital),
            "others": after.other_public_amount,
            "public": public,
            "percent": percentage(public, capital),
            "cap": capital * PUBLIC_SHARE_CAP_PERCENT / 100,
            "is_over_cap": public * 100 > capital * PUBLIC_SHARE_CAP_PERCENT,
        }
    rows["cap_percent"] = PUBLIC_SHARE_CAP_PERCENT
    return rows


def stake_context(movement: ShareMovement, *, on: datetime.date) -> dict:
    scic = movement.scic
    return {
        "movement": movement,
        "scic": scic,
        "actor": scic.actor,
        "filieres": list(scic.actor.filieres.order_by("name")),
        "fund": fund_situation(movement),
        "share": public_share(movement),
        "holdings": list(
            scic.public_holdings.filter(Q(held_until__isnull=True) | Q(held_until__gte=movement.moved_on))
            .filter(held_from__lte=movement.moved_on)
            .order_by("holder_name")
        ),
        "representatives": list(scic.representatives.current(on=on).order_by("body", "person_name")),
        "generated_on": on,
    }


def _load_stake(pk) -> ShareMovement:
    movement = (
        ShareMovement.objects.subscriptions()
        .select_related("scic__actor__commune", "commitment__budget_line")
        .filter(pk=pk)
        .first()
    )
    if movement is None:
        raise JobFailed(
            "Cette souscription de parts n’existe plus : le dossier de délibération ne peut pas être produit."
        )
    return movement


@register(JobKind.SCIC_STAKE_DOSSIER, queue="reports")
def build_stake_dossier(job) -> ContentFile:
    movement = _load_stake(job.parameters.get("movement_id"))
    job.set_progress(20, "Rassemblement des données de la SCIC et du fonds")
    context = stake_context(movement, on=timezone.localdate())
    job.set_progress(50, "Mise en page du dossier de délibération")
    try:
        pdf = render_pdf(STAKE_TEMPLATE, context)
    except (TemplateDoesNotExist, TemplateSyntaxError) as error:
        raise JobFailed(
            "Le modèle du document est introuvable ou invalide : le PDF n’a pas pu être produit. "
            "L’équipe technique doit corriger le modèle ; vous pourrez ensuite relancer la tâche."
        ) from error
    return ContentFile(pdf, name=f"dossier-deliberation-scic-{movement.scic_id}-souscription-{movement.pk}.pdf")
