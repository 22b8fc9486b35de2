import csv
import io
import logging
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actors.enums import AgrementKind, LegalForm, SiaeType
from actors.exports import COLUMNS, CONTACT_COLUMNS
from actors.models import Agrement, Contact
from ess_portal.jobs.enums import JobKind, JobStatus
from ess_portal.jobs.models import Job
from tests.actors.factories import ActorFactory, CommuneFactory
from tests.ess_portal.test_exports import read_ods
from tests.filieres.factories import FiliereFactory, SegmentFactory

DOCUMENTED_COLUMNS = [
    "nom",
    "SIRET",
    "SIREN",
    "forme juridique",
    "agréments",
    "commune",
    "code INSEE",
    "adresse",
    "code postal",
    "latitude",
    "longitude",
    "ETP",
    "année de création",
    "filières",
    "segments",
    "site web",
    "visible dans l’annuaire",
    "archivé",
    "dernière modification",
]


def export_url(export_format: str) -> str:
    return reverse("actors:actor_export", args=[export_format])


def read_csv(response) -> list[dict]:
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(response) -> list[dict]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Acteurs"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=False)) for row in rows]


def read_ods_rows(data: bytes) -> list[dict]:
    header, *rows = [[value for _, value in row] for row in read_ods(data)]
    return [dict(zip(header, row, strict=False)) for row in rows]


@pytest.fixture
def registry(db):
    """Three SCIC of Mérignac (one archived) and two other actors."""
    merignac = CommuneFactory(name="Mérignac", insee_code="33281", slug="merignac")
    filiere = FiliereFactory(name="Économie circulaire")
    segment = SegmentFactory(filiere=filiere, name="Réemploi")
    first = ActorFactory(
        name="Alpha Réemploi",
        commune=merignac,
        legal_form=LegalForm.SCIC,
        fte=Decimal("12.5"),
        website="https://alpha.example",
        is_public=True,
        filieres=[filiere],
        segments=[segment],
    )
    Agrement.objects.create(actor=first, kind=AgrementKind.SIAE, siae_type=SiaeType.ACI)
    Contact.objects.create(actor=first, name="Camille Martin", role="Directrice", email="camille@alpha.example")
    Contact.objects.create(actor=first, name="Bruno Petit", phone="05 56 00 00 01")
    ActorFactory(name="Bêta Coop", commune=merignac, legal_form=LegalForm.SCIC)
    ActorFactory(name="Gamma fermée", commune=merignac, legal_form=LegalForm.SCIC, is_archived=True)
    ActorFactory(name="Delta association", commune=merignac, legal_form=LegalForm.ASSOCIATION)
    ActorFactory(name="Epsilon ailleurs", legal_form=LegalForm.SCIC)
    return first


FILTERS = {"commune": "33281", "forme": "scic", "tri": "-nom", "page": "3"}


def test_csv_export_holds_exactly_the_filtered_rows_in_the_list_order(client, staff_user, registry):
    client.force_login(staff_user)
    response = client.get(export_url("csv"), FILTERS)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="acteurs-')
    rows = read_csv(response)
    assert [row["nom"] for row in rows] == ["Bêta Coop", "Alpha Réemploi"]
    listed = client.get(reverse("actors:actor_list"), {k: v for k, v in FILTERS.items() if k != "page"})
    assert [row["nom"] for row in rows] == [actor.name for actor in listed.context["actors"]]


def test_csv_export_has_the_documented_columns_and_contacts_for_staff(client, staff_user, registry):
    client.force_login(staff_user)
    rows = read_csv(client.get(export_url("csv"), {"q": "alpha"}))
    assert list(rows[0]) == DOCUMENTED_COLUMNS + ["contacts", "e-mails des contacts", "téléphones des contacts"]
    assert rows[0] == {
        "nom": "Alpha Réemploi",
        "SIRET": registry.siret,
        "SIREN": registry.siret[:9],
        "forme juridique": "Coopérative – SCIC",
        "agréments": "SIAE ACI",
        "commune": "Mérignac",
        "code INSEE": "33281",
        "adresse": registry.address,
        "code postal": "33000",
        "latitude": "44,83780",
        "longitude": "-0,57920",
        "ETP": "12,5",
        "année de création": "2015",
        "filières": "Économie circulaire",
        "segments": "Réemploi",
        "site web": "https://alpha.example",
        "visible dans l’annuaire": "oui",
        "archivé": "non",
        "dernière modification": rows[0]["dernière modification"],
        "contacts": "Bruno Petit | Camille Martin (Directrice)",
        "e-mails des contacts": "— | camille@alpha.example",
        "téléphones des contacts": "05 56 00 00 01 | —",
    }


@pytest.mark.parametrize("role_fixture", ["elected_user", "procurement_user", "partner_user"])
def test_exports_for_read_only_roles_never_hold_contacts(client, request, registry, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    csv_rows = read_csv(client.get(export_url("csv")))
    assert list(csv_rows[0]) == DOCUMENTED_COLUMNS
    xlsx = client.get(export_url("xlsx"))
    body = b"".join(xlsx.streaming_content)
    assert b"Camille" not in body
    assert list(load_workbook(io.BytesIO(body))["Acteurs"].iter_rows(values_only=True))[0] == tuple(DOCUMENTED_COLUMNS)
    for response in (client.get(export_url("csv")), client.get(export_url("ods"))):
        assert "camille@alpha.example" not in b"".join(response.streaming_content).decode("utf-8", "replace")


def test_archived_actors_are_exported_only_when_included(client, staff_user, registry):
    client.force_login(staff_user)
    names = [row["nom"] for row in read_csv(client.get(export_url("csv"), {"commune": "33281", "archives": "1"}))]
    assert "Gamma fermée" in names
    names = [row["nom"] for row in read_csv(client.get(export_url("csv"), {"commune": "33281"}))]
    assert "Gamma fermée" not in names


def test_xlsx_export_holds_the_filtered_rows_with_typed_cells(client, staff_user, registry):
    client.force_login(staff_user)
    response = client.get(export_url("xlsx"), FILTERS)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = read_xlsx(response)
    assert [row["nom"] for row in rows] == ["Bêta Coop", "Alpha Réemploi"]
    assert rows[1]["ETP"] == 12.5
    assert rows[1]["latitude"] == pytest.approx(44.8378)
    assert rows[1]["contacts"] == "Bruno Petit | Camille Martin (Directrice)"
    assert list(rows[0]) == COLUMNS + CONTACT_COLUMNS


def test_ods_export_holds_the_filtered_rows(client, staff_user, registry):
    client.force_login(staff_user)
    response = client.get(export_url("ods"), FILTERS)
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    rows = read_ods_rows(b"".join(response.streaming_content))
    assert [row["nom"] for row in rows] == ["Bêta Coop", "Alpha Réemploi"]
    assert rows[1]["ETP"] == "12.5"
    assert rows[1]["agréments"] == "SIAE ACI"


def test_every_export_is_logged_with_its_user_filters_and_row_count(client, staff_user, registry, caplog):
    client.force_login(staff_user)
    with caplog.at_level(logging.INFO, logger="actors.exports"):
        b"".join(client.get(export_url("csv"), {"forme": "scic"}).streaming_content)
        b"".join(client.get(export_url("xlsx"), {"forme": "scic"}).streaming_content)
    messages = [record.getMessage() for record in caplog.records if record.name == "actors.exports"]
    assert len(messages) == 2
    assert f"user {staff_user.pk}" in messages[0]
    assert "format=csv rows=3" in messages[0]
    assert "'forme': 'scic'" in messages[0]
    assert "format=xlsx rows=3" in messages[1]


def test_applicants_and_anonymous_visitors_cannot_export(client, applicant_user, registry):
    assert client.get(export_url("csv")).status_code == 302
    client.force_login(applicant_user)
    assert client.get(export_url("csv")).status_code == 403


def test_an_unknown_format_is_a_404(client, staff_user, db):
    client.force_login(staff_user)
    assert client.get(export_url("pdf")).status_code == 404


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.parametrize("export_format", ["xlsx", "ods"])
def test_large_exports_run_as_a_background_job(
    client, staff_user, registry, settings, media_root, django_capture_on_commit_callbacks, export_format
):
    settings.ACTOR_EXPORT_INLINE_MAX_ROWS = 1
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(export_url(export_format), {"commune": "33281", "forme": "scic", "tri": "-nom"})
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job_list")

    job = Job.objects.get()
    assert job.kind == JobKind.ACTOR_EXPORT
    assert job.requested_by == staff_user
    assert job.parameters == {
        "filters": {"commune": "33281", "forme": "scic", "tri": "-nom"},
        "format": export_format,
        "include_contacts": True,
    }
    assert job.status == JobStatus.DONE, job.error_message
    assert job.result_filename.endswith(f".{export_format}")
    with job.result_file.open("rb") as result:
        data = result.read()
    if export_format == "xlsx":
        sheet = load_workbook(io.BytesIO(data))["Acteurs"]
        names = [row[0] for row in list(sheet.iter_rows(values_only=True))[1:]]
    else:
        names = [row["nom"] for row in read_ods_rows(data)]
    assert names == ["Bêta Coop", "Alpha Réemploi"]

    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == [
        f"L’export de 2 acteurs au format {export_format.upper()} est préparé en arrière-plan (tâche nº {job.pk}) : "
        "vous pourrez télécharger le fichier sur cette page dès qu’il sera prêt."
    ]


def test_a_large_export_by_a_reader_excludes_contacts_from_the_job(
    client, elected_user, registry, settings, media_root, django_capture_on_commit_callbacks
):
    settings.ACTOR_EXPORT_INLINE_MAX_ROWS = 1
    client.force_login(elected_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(export_url("xlsx"))
    job = Job.objects.get()
    assert job.parameters["include_contacts"] is False
    with job.result_file.open("rb") as result:
        header = next(load_workbook(io.BytesIO(result.read()))["Acteurs"].iter_rows(values_only=True))
    assert list(header) == DOCUMENTED_COLUMNS


def test_the_csv_export_stays_streamed_even_when_large(client, staff_user, registry, settings):
    settings.ACTOR_EXPORT_INLINE_MAX_ROWS = 1
    client.force_login(staff_user)
    response = client.get(export_url("csv"))
    assert response.streaming
    assert not Job.objects.exists()


@pytest.mark.parametrize("count", [5, 60])
def test_the_export_runs_the_same_queries_whatever_the_number_of_actors(
    client, staff_user, django_assert_num_queries, count
):
    filiere = FiliereFactory()
    actors = ActorFactory.create_batch(count, filieres=[filiere], commune=CommuneFactory())
    Agrement.objects.bulk_create(Agrement(actor=actor, kind=AgrementKind.ESUS) for actor in actors)
    Contact.objects.bulk_create(Contact(actor=actor, name="Contact") for actor in actors)
    client.force_login(staff_user)
    client.get(reverse("actors:actor_list"))
    # session, user, roles, names of the filières and segments, one chunk of actors, its agréments,
    # filières, segments and contacts
    with django_assert_num_queries(10):
        rows = read_csv(client.get(export_url("csv")))
    assert len(rows) == count
