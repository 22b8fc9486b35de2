"""Demo grants for `make demo`: support schemes, council sessions, and applications taken through the real
workflow services (so transitions, commitments, payments and e-mails are exactly what users would produce).

Idempotent: an application that already exists (same structure and title) is left as it is.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from funding import services
from funding.enums import ApplicationStatus as S
from funding.enums import DocumentKind, FinancingSide, PaymentConditions, StateAidRegime
from funding.models import Application, BudgetLine, CouncilSession, Document, FinancingLine, SupportScheme
from quadripartite.models import Partner

# A one-page PDF, enough for the demo vault (statuts, RIB).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _schemes(today: datetime.date) -> list[tuple]:
    """The demo schemes, dated around `today` so that the demo works whenever it is loaded."""
    year = today.year
    return [
        # slug, title, line code, regime, opens, closes, ceiling, description
        (
            "soutien-projets-ess",
            f"Soutien aux projets de l’ESS {year}",
            "soutiens-directs-projets",
            StateAidRegime.DE_MINIMIS,
            datetime.date(year, 1, 15),
            today + datetime.timedelta(days=75),
            "60000",
            "Subvention de fonctionnement pour le lancement ou le changement d’échelle d’un projet de l’ESS dans "
            "l’une des quatre filières prioritaires (action 2.1 du plan).",
        ),
        (
            "aide-immobilier-ess",
            "Aide à l’immobilier des structures de l’ESS",
            "aides-immobilier",
            StateAidRegime.BLOCK_EXEMPTION,
            datetime.date(year, 1, 2),
            today + datetime.timedelta(days=20),
            "150000",
            "Aide à l’investissement immobilier (acquisition, travaux) des structures de l’ESS (action 2.3 du plan).",
        ),
        (
            "appel-projets-filieres-precedent",
            f"Appel à projets filières prioritaires {year - 1}",
            "soutiens-directs-projets",
            StateAidRegime.DE_MINIMIS,
            datetime.date(year - 1, 2, 1),
            datetime.date(year - 1, 10, 31),
            "40000",
            "Appel à projets clos, conservé pour l’historique.",
        ),
    ]


# The applications of the demo: (actor index, title, requested amount, target status, scheme slug).
APPLICATIONS = [
    (0, "Achat de deux vélos-cargos électriques", "18000", S.DRAFT, "soutien-projets-ess"),
    (0, "Ouverture d’un point logistique de quartier", "45000", S.SUBMITTED, "soutien-projets-ess"),
    (1, "Station de lavage de contenants consignés", "60000", S.IN_REVIEW, "soutien-projets-ess"),
    (1, "Étude de marché de la consigne", "12000", S.INFO_REQUESTED, "soutien-projets-ess"),
    (1, "Recrutement d’un chargé de développement", "25000", S.AGREEMENT_SIGNED, "soutien-projets-ess"),
    (2, "Chantier pilote en béton de chanvre", "80000", S.SUBMITTED, "aide-immobilier-ess"),
    (3, "Reprise de la boulangerie en SCOP", "30000", S.PROPOSED, "soutien-projets-ess"),
    (6, "Atelier de réparation mobile", "9500", S.REJECTED, "soutien-projets-ess"),
    (10, "Aménagement d’une ressourcerie", "120000", S.PAID, "aide-immobilier-ess"),
    (13, "Coopérative d’habitants : études préalables", "15000", S.APPROVED, "soutien-projets-ess"),
]
# The order in which a status is reached.
PATH = [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED, S.PROPOSED, S.APPROVED, S.AGREEMENT_SIGNED, S.PAID]


def _budget_line(code: str, year: int) -> BudgetLine:
    """The line of that year, or of the latest voted year (the plan's budget stops in 2026)."""
    lines = BudgetLine.objects.filter(code=code)
    return lines.filter(year=year).first() or lines.filter(year__lte=year).order_by("-year").first()


def load_schemes(today: datetime.date) -> dict[str, SupportScheme]:
    schemes = {}
    for slug, title, line_code, regime, opens_on, closes_on, ceiling, description in _schemes(today):
        scheme, _ = SupportScheme.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "description": description,
                "budget_line": _budget_line(line_code, opens_on.year),
                "state_aid_regime": regime,
                "opens_on": opens_on,
                "closes_on": closes_on,
                "ceiling_amount": Decimal(ceiling),
                "required_documents": [DocumentKind.STATUTES, DocumentKind.RIB],
                "is_published": True,
            },
        )
        schemes[slug] = scheme
    return schemes


def _vault(actor, by) -> None:
    for kind in (DocumentKind.STATUTES, DocumentKind.RIB):
        if not Document.objects.vault().filter(actor=actor, kind=kind).exists():
            document = Document(
                actor=actor,
                kind=kind,
                original_name=f"{kind}-{actor.pk}.pdf",
                content_type="application/pdf",
                size=len(DEMO_PDF),
                valid_until=timezone.localdate() + datetime.timedelta(days=400),
                uploaded_by=by,
            )
            document.file.save(f"{kind}.pdf", ContentFile(DEMO_PDF), save=False)
            document.save()


def _draft(actor, title, amount, scheme, by) -> Application:
    amount = Decimal(amount)
    application = Application.objects.create(
        actor=actor,
        scheme=scheme,
        title=title,
        summary=f"Projet fictif (données de démonstration) porté par {actor.name}.",
        filiere=actor.filieres.first(),
        segment=actor.segments.first(),
        plan_action=scheme.plan_action,
        starts_on=timezone.localdate() + datetime.timedelta(days=60),
        ends_on=timezone.localdate() + datetime.timedelta(days=425),
        requested_amount=amount,
        payment_conditions=PaymentConditions.INSTALMENTS if amount > 23000 else PaymentConditions.SINGLE,
    )
    application.communes.add(actor.commune)
    region = Partner.objects.filter(slug__icontains="region").first()
    FinancingLine.objects.bulk_create(
        [
            FinancingLine(
                application=application, side=FinancingSide.EXPENSE, label="Coût total du projet", amount=amount * 2
            ),
            FinancingLine(
                application=application,
                side=FinancingSide.RESOURCE,
                label="Fonds propres",
                amount=amount * Decimal("0.6"),
            ),
            FinancingLine(
                application=application,
                side=FinancingSide.RESOURCE,
                label="Région Nouvelle-Aquitaine",
                amount=amount * Decimal("0.4"),
                partner=region,
            ),
        ]
    )
    _vault(actor, by)
    return application


def _progress(application, target, *, applicant, staff, sessions) -> None:
    """Take a draft to `target` through the services, as users would."""
    if target == S.DRAFT:
        return
    steps = PATH[: PATH.index(target) + 1] if target in PATH else PATH[: PATH.index(S.PROPOSED) + 1]
    services.submit_application(application=application, by=applicant or staff)
    if S.IN_REVIEW in steps or target == S.REJECTED:
        services.assign_instructor(application=application, by=staff, instructor=staff)
        services.start_review(application=application, by=staff)
    if target == S.INFO_REQUESTED:
        services.request_information(
            application=application, by=staff, message="Merci de préciser le calendrier des recrutements prévus."
        )
        return
    if target == S.IN_REVIEW or target == S.SUBMITTED:
        return
    services.give_opinion(
        application=application,
        by=staff,
        opinion="Projet cohérent avec la filière ; avis favorable.",
        proposed_amount=application.requested_amount,
    )
    decided = target != S.PROPOSED
    # Decided applications went to today's sitting; the proposed one waits for the next.
    session = sessions[0] if decided else sessions[1]
    services.propose_to_session(application=application, by=staff, session=session)
    if not decided:
        return
    number = f"{session.sits_on.year}-{300 + application.pk}"
    if target == S.REJECTED:
        services.decide_session(
            session=session,
            by=staff,
            decisions=[
                {
                    "application": application,
                    "approved": False,
                    "amount": None,
                    "deliberation_number": number,
                    "decided_on": session.sits_on,
                    "refusal_reason": "Projet hors des filières prioritaires.",
                }
            ],
        )
        return
    services.decide_session(
        session=session,
        by=staff,
        decisions=[
            {
                "application": application,
                "approved": True,
                "amount": application.requested_amount,
                "deliberation_number": number,
                "decided_on": session.sits_on,
                "refusal_reason": "",
            }
        ],
    )
    if target == S.APPROVED:
        return
    services.sign_agreement(application=application, by=staff, signed_on=session.sits_on)
    if target == S.PAID:
        for payment in application.commitment.payments.order_by("pk"):
            if payment.kind == "balance":
                report = Document(
                    actor=application.actor,
                    application=application,
                    kind=DocumentKind.FINAL_REPORT,
                    original_name="bilan-final.pdf",
                    content_type="application/pdf",
                    size=len(DEMO_PDF),
                    uploaded_by=staff,
                )
                report.file.save("bilan.pdf", ContentFile(DEMO_PDF), save=False)
                report.save()
                services.receive_final_report(application=application, by=staff, document=report)
            services.record_payment(
                payment=payment,
                by=staff,
                paid_on=session.sits_on,
                payment_order_number=f"M-{payment.pk:05d}",
            )


@transaction.atomic
def load_grants_demo(*, actors, applicant, staff) -> None:
    today = timezone.localdate()
    schemes = load_schemes(today)
    sessions = [
        CouncilSession.objects.get_or_create(sits_on=today, defaults={"title": "Commission permanente"})[0],
        CouncilSession.objects.get_or_create(
            sits_on=today + datetime.timedelta(days=22), defaults={"title": "Conseil de Métropole"}
        )[0],
    ]
    # Demo e-mails are not sent anywhere, not even to the console.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for index, title, amount, target, slug in APPLICATIONS:
            actor = actors[index]
            if Application.objects.filter(actor=actor, title=title).exists():
                continue
            application = _draft(actor, title, amount, schemes[slug], staff)
            _progress(application, target, applicant=applicant if index < 2 else None, staff=staff, sessions=sessions)


DECIDED_STATUSES = {S.APPROVED, S.AGREEMENT_SIGNED, S.PAID, S.CLOSED}


def load_cofinancing_demo(*, staff) -> None:
    """The Région's co-financing typed in the demo applications' financing plans, carried into the co-financing
    table (decided and half paid once the Métropole decided), and the Département on one project in two."""
    from funding.cofinancing_models import CoFinancing
    from funding.cofinancing_services import record_cofinancing

    if CoFinancing.objects.exists():
        return
    departement = Partner.objects.filter(slug="departement-gironde").first()
    lines = (
        FinancingLine.objects.filter(partner__isnull=False, application__status__in=[*DECIDED_STATUSES, S.PROPOSED])
        .select_related("application", "partner")
        .order_by("application_id")
    )
    for index, line in enumerate(lines):
        application = line.application
        year = application.created_at.year
        decided = line.amount if application.status in DECIDED_STATUSES else None
        paid = (decided / 2).quantize(Decimal("0.01")) if decided and application.status in (S.PAID, S.CLOSED) else 0
        record_cofinancing(
            application=application,
            partner=line.partner,
            year=year,
            pledged=line.amount,
            decided=decided,
            paid=paid,
            by=staff,
        )
        if departement and index % 2 == 0:
            share = (line.amount / 4).quantize(Decimal("0.01"))
            record_cofinancing(
                application=application,
                partner=departement,
                year=year,
                pledged=share,
                decided=share if decided else None,
                by=staff,
            )
