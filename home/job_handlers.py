"""The reference-data export: a job kind that reads every app's reference tables (see `ess_portal.jobs.registry`)."""

import tempfile

from django.core.files import File
from django.utils import timezone
from openpyxl import Workbook

from actors.models import Commune
from ess_portal.jobs.enums import JobKind
from ess_portal.jobs.registry import register
from filieres.models import Segment
from funding.models import BudgetLine
from programme.models import Action
from quadripartite.models import Partner


def _sheet(workbook, title, header, rows):
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)


@register(JobKind.REFERENCE_EXPORT)
def export_reference_data(job) -> File:
    """The reference data (communes, filières and segments, partners, plan, budget) as one XLSX workbook."""
    workbook = Workbook(write_only=True)

    job.set_progress(5, "Communes")
    _sheet(
        workbook,
        "Communes",
        ["Code INSEE", "Nom", "Latitude", "Longitude"],
        Commune.objects.order_by("name").values_list("insee_code", "name", "latitude", "longitude").iterator(),
    )

    job.set_progress(25, "Filières et segments")
    _sheet(
        workbook,
        "Filières et segments",
        ["Code de l’action", "Filière", "Segment", "Ordre"],
        Segment.objects.order_by("filiere__code", "position", "name")
        .values_list("filiere__code", "filiere__name", "name", "position")
        .iterator(),
    )

    job.set_progress(45, "Partenaires")
    _sheet(
        workbook,
        "Partenaires",
        ["Nom", "Nom court", "Type de collectivité"],
        Partner.objects.order_by("position").values_list("name", "short_name", "kind").iterator(),
    )

    job.set_progress(65, "Plan d’actions")
    _sheet(
        workbook,
        "Plan d’actions",
        ["Axe", "Fiche", "Code", "Intitulé", "Action parente"],
        Action.objects.order_by("sheet__number", "position", "code")
        .values_list("sheet__axis__number", "sheet__number", "code", "title", "parent__code")
        .iterator(),
    )

    job.set_progress(85, "Lignes budgétaires")
    sections = dict(BudgetLine._meta.get_field("section").choices)
    _sheet(
        workbook,
        "Lignes budgétaires",
        ["Exercice", "Section", "Part du plan", "Code", "Libellé", "Montant voté (€)"],
        (
            (year, sections.get(section, section), "oui" if in_plan else "non", code, label, amount)
            for year, section, in_plan, code, label, amount in BudgetLine.objects.values_list(
                "year", "section", "is_in_plan", "code", "label", "voted_amount"
            ).iterator()
        ),
    )

    job.set_progress(95, "Écriture du fichier")
    # The file is deleted when closed, after the job stored it.
    output = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(output)
    output.seek(0)
    return File(output, name=f"donnees-de-reference-{timezone.localdate():%Y-%m-%d}-{job.pk}.xlsx")
