from openpyxl import load_workbook

from ess_portal.jobs.enums import JobKind, JobStatus
from ess_portal.jobs.services import request_job
from tests.jobs.factories import (
    ActionFactory,
    BudgetLineFactory,
    CommuneFactory,
    PartnerFactory,
    SegmentFactory,
)


def test_reference_export_produces_a_workbook_with_the_28_communes(
    staff_user, django_capture_on_commit_callbacks, media_root
):
    CommuneFactory.create_batch(28)
    SegmentFactory(name="Cyclologistique")
    PartnerFactory(name="Région Nouvelle-Aquitaine")
    ActionFactory(code="1.1", title="Structurer les filières")
    BudgetLineFactory(label="Soutien aux filières")

    with django_capture_on_commit_callbacks(execute=True):
        job = request_job(kind=JobKind.REFERENCE_EXPORT, requested_by=staff_user)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.progress == 100
    assert job.attempts == 1
    assert job.finished_at is not None
    assert job.result_file.name.endswith(".xlsx")
    assert str(media_root) in job.result_file.path

    with job.result_file.open("rb") as handle:
        workbook = load_workbook(handle, read_only=True)
        communes = list(workbook["Communes"].iter_rows(values_only=True))
        assert communes[0] == ("Code INSEE", "Nom", "Latitude", "Longitude")
        assert len(communes) == 1 + 28
        assert workbook.sheetnames == [
            "Communes",
            "Filières et segments",
            "Partenaires",
            "Plan d’actions",
            "Lignes budgétaires",
        ]
        segments = list(workbook["Filières et segments"].iter_rows(values_only=True))
        assert segments[1][2] == "Cyclologistique"
        budget = list(workbook["Lignes budgétaires"].iter_rows(values_only=True))
        assert budget[1][1:6] == ("Fonctionnement", "oui", budget[1][3], "Soutien aux filières", 120000)
        workbook.close()
