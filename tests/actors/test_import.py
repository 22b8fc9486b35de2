import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains

from actors.enums import ActorImportStatus, AgrementKind, LegalForm, LocationPrecision
from actors.import_jobs import import_actors
from actors.importing.mapping import propose_mapping
from actors.importing.services import build_preview, create_import
from actors.importing.validation import parse_siret
from actors.models import Actor, ActorImport, Commune
from filieres.models import Filiere
from tests.actors.factories import ActorFactory, fictitious_siret
from tests.actors.import_helpers import HEADER, actor_row, csv_upload, xlsx_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff_client(client, staff_user, reference_data):
    client.force_login(staff_user)
    return client


def upload(client, file):
    response = client.post(reverse("actors:import_list"), {"file": file})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return ActorImport.objects.latest("pk")


def preview(client, actor_import, **mapping_overrides):
    mapping = {key: str(column) for key, column in actor_import.mapping.items()}
    mapping.update(mapping_overrides)
    response = client.post(reverse("actors:import_mapping", args=[actor_import.pk]), mapping)
    assert response.status_code == 302, response.context["form"].errors
    actor_import.refresh_from_db()
    return actor_import


def confirm(client, actor_import):
    response = client.post(reverse("actors:import_confirm", args=[actor_import.pk]))
    assert response.status_code == 302
    actor_import.refresh_from_db()
    return actor_import


def run_file(client, file):
    return confirm(client, preview(client, upload(client, file)))


def test_the_mapping_is_proposed_from_french_headers_whatever_accents_and_case():
    headers = ["RAISON SOCIALE", "Siret", "forme juridique", "Code postal de la commune", "Commune", "Activite", "ETP"]

    mapping = propose_mapping(headers)

    assert mapping == {
        "name": 0,
        "siret": 1,
        "legal_form": 2,
        "postal_code": 3,
        "commune": 4,
        "description": 5,
        "fte": 6,
    }


def test_an_insee_code_column_is_preferred_to_a_commune_name_column():
    mapping = propose_mapping(["Nom", "SIRET", "Statut juridique", "Ville", "Code commune"])

    assert mapping["commune"] == 4
    assert mapping["name"] == 0


def test_the_preview_lists_every_rejected_row_with_its_reasons_in_french(staff_client):
    good_siret = fictitious_siret(1)
    bad_checksum = good_siret[:-1] + str((int(good_siret[-1]) + 1) % 10)
    rows = [
        actor_row(1, siret=good_siret),
        actor_row(2, siret=bad_checksum),
        actor_row(3, siret="1234"),
        actor_row(4, commune="Paris"),
        actor_row(5, legal_form="SARL"),
        actor_row(6, siret=good_siret),
        actor_row(7, name="", fte="douze", founded_year="1700"),
        actor_row(8, commune="saint medard en jalles", legal_form="SCOP SA", fte="1 234,56"),
    ]

    actor_import = preview(staff_client, upload(staff_client, csv_upload(rows)))

    assert actor_import.status == ActorImportStatus.PREVIEWED
    assert actor_import.preview["counts"] == {"create": 2, "update": 0, "unchanged": 0, "rejected": 6}
    errors = {row["line"]: row["errors"] for row in actor_import.preview["rejected_rows"]}
    assert errors == {
        3: [f"SIRET invalide : « {bad_checksum} » (clé de contrôle)."],
        4: ["SIRET invalide : « 1234 » (14 chiffres attendus)."],
        5: [
            "commune inconnue : « Paris » (code INSEE ou nom d’une des 28 communes de Bordeaux Métropole).",
        ],
        6: [
            "forme juridique inconnue : « SARL » (association, SCOP, SCIC, CAE, coopérative, mutuelle, fondation "
            "ou société commerciale de l’ESS).",
        ],
        7: [f"SIRET {good_siret} déjà présent ligne 2 du fichier."],
        8: [
            "raison sociale manquante.",
            "effectif (ETP) invalide : « douze » (nombre attendu, par exemple 12,5).",
            "année de création invalide : 1700 (entre 1800 et aujourd’hui).",
        ],
    }
    response = staff_client.get(reverse("actors:import_preview", args=[actor_import.pk]))
    assert "Ligne 3 : SIRET invalide" in response.content.decode()
    assert "Ligne 7 : SIRET" in response.content.decode()
    assert not Actor.objects.exists(), "the preview writes nothing"


def test_import_with_good_bad_and_duplicate_rows_gives_the_exact_report_and_is_idempotent(staff_client, staff_user):
    merignac = Commune.objects.get(insee_code="33281")
    existing = ActorFactory(
        siret=fictitious_siret(500_002), name="Ancien nom", commune=merignac, website="https://ancien.example.org"
    )
    rows = [
        actor_row(1),
        actor_row(2, name="Nouveau nom", commune="Mérignac", website=""),
        actor_row(3, siret="12345678901234"),
        actor_row(4, siret=fictitious_siret(500_001)),
    ]

    actor_import = run_file(staff_client, csv_upload(rows))

    assert actor_import.status == ActorImportStatus.DONE
    assert (actor_import.created_count, actor_import.updated_count) == (1, 1)
    assert (actor_import.unchanged_count, actor_import.rejected_count) == (0, 2)
    assert actor_import.rejected_rows == [
        {
            "line": 4,
            "siret": "12345678901234",
            "name": "Structure importée 3",
            "errors": ["SIRET invalide : « 12345678901234 » (clé de contrôle)."],
        },
        {
            "line": 5,
            "siret": fictitious_siret(500_001),
            "name": "Structure importée 4",
            "errors": [f"SIRET {fictitious_siret(500_001)} déjà présent ligne 2 du fichier."],
        },
    ]
    existing.refresh_from_db()
    assert existing.name == "Nouveau nom"
    assert existing.website == "https://ancien.example.org", "an empty cell never erases a value"
    assert (existing.fte, existing.founded_year, existing.commune) == (Decimal("3.5"), 2012, merignac)
    assert Actor.objects.count() == 2
    created = Actor.objects.get(siret=fictitious_siret(500_001))
    assert created.name == "Structure importée 1"
    assert created.legal_form == LegalForm.ASSOCIATION
    assert created.fte == Decimal("3.5")
    assert created.founded_year == 2012
    assert created.website == "https://www.exemple.org"
    assert list(created.filieres.values_list("slug", flat=True)) == ["economie-circulaire"]
    assert Actor.objects.search("importee 1").get() == created

    second = run_file(staff_client, csv_upload(rows))

    assert (second.created_count, second.updated_count, second.unchanged_count, second.rejected_count) == (0, 0, 2, 2)
    assert Actor.objects.count() == 2


def test_the_report_csv_has_one_line_per_row_with_what_was_done(staff_client):
    actor_import = run_file(staff_client, csv_upload([actor_row(1), actor_row(2, commune="Lyon")]))

    response = staff_client.get(reverse("actors:import_report", args=[actor_import.pk]))

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(content), delimiter=";")) == [
        ["Ligne", "SIRET", "Raison sociale", "Résultat", "Motifs du rejet"],
        ["2", fictitious_siret(500_001), "Structure importée 1", "créée", ""],
        [
            "3",
            fictitious_siret(500_002),
            "Structure importée 2",
            "rejetée",
            "commune inconnue : « Lyon » (code INSEE ou nom d’une des 28 communes de Bordeaux Métropole).",
        ],
    ]


def test_history_of_imported_actors_names_the_staff_member_and_keeps_their_filieres(staff_client, staff_user):
    existing = ActorFactory(siret=fictitious_siret(500_002), commune=Commune.objects.get(insee_code="33063"))

    actor_import = run_file(staff_client, csv_upload([actor_row(1), actor_row(2, filieres="1.1.1 | 1.1.3")]))

    created = Actor.objects.get(siret=fictitious_siret(500_001))
    record = created.history.get()
    assert record.history_type == "+"
    assert record.history_user == staff_user
    assert record.history_change_reason == f"Import nº {actor_import.pk} (export-cress.csv)"
    assert [row.filiere.slug for row in record.filieres.all()] == ["economie-circulaire"]
    update = existing.history.latest()
    assert update.history_type == "~"
    assert update.history_user == staff_user
    assert sorted(row.filiere.code for row in update.filieres.all()) == ["1.1.1", "1.1.3"]
    assert sorted(existing.filieres.values_list("code", flat=True)) == ["1.1.1", "1.1.3"]


def test_imported_actors_are_placed_at_their_commune_centre_until_geocoded(staff_client):
    run_file(staff_client, csv_upload([actor_row(1, commune="Pessac")]))

    actor = Actor.objects.get()
    pessac = Commune.objects.get(insee_code="33318")
    assert (actor.latitude, actor.longitude) == (pessac.latitude, pessac.longitude)
    assert actor.location_precision == LocationPrecision.COMMUNE


def test_agrements_in_the_file_are_added_to_the_actor(staff_client):
    header = [*HEADER, "Agréments"]
    rows = [actor_row(1) + ["ESUS | SIAE-ACI"], actor_row(2) + ["SIAE"]]

    actor_import = run_file(staff_client, csv_upload(rows, header=header))

    actor = Actor.objects.get()
    assert sorted(actor.agrements.values_list("kind", "siae_type")) == [
        (AgrementKind.ESUS, ""),
        (AgrementKind.SIAE, "aci"),
    ]
    assert actor_import.rejected_rows[0]["errors"] == [
        "agrément SIAE sans son type : écrivez SIAE-ACI, SIAE-EI, SIAE-ETTI, SIAE-AI ou SIAE-EITI."
    ]


@pytest.mark.parametrize(
    "file",
    [
        pytest.param(lambda rows: csv_upload(rows, delimiter=";"), id="csv-semicolon"),
        pytest.param(lambda rows: csv_upload(rows, delimiter=",", bom=True), id="csv-comma-bom"),
        pytest.param(lambda rows: csv_upload(rows, encoding="cp1252"), id="csv-latin1"),
        pytest.param(lambda rows: xlsx_upload(rows), id="xlsx"),
    ],
)
def test_csv_in_every_dialect_and_xlsx_files_are_imported(staff_client, file):
    rows = [actor_row(1, name="Régie de quartier Bègles", commune="Bègles"), actor_row(2)]

    actor_import = run_file(staff_client, file(rows))

    assert actor_import.created_count == 2
    assert Actor.objects.get(siret=fictitious_siret(500_001)).name == "Régie de quartier Bègles"
    assert Actor.objects.get(siret=fictitious_siret(500_001)).commune.insee_code == "33039"


def test_a_latin1_file_is_read_with_a_warning(staff_client):
    actor_import = preview(staff_client, upload(staff_client, csv_upload([actor_row(1)], encoding="cp1252")))

    response = staff_client.get(reverse("actors:import_preview", args=[actor_import.pk]))

    assert actor_import.encoding == "cp1252"
    assert "n’est pas encodé en UTF-8" in response.content.decode()


def test_xlsx_numbers_and_dates_are_read_as_the_portal_expects(staff_client):
    from datetime import datetime

    siret_with_leading_zero = "0" + fictitious_siret(7)[1:]
    rows = [
        actor_row(1, siret=int(fictitious_siret(7)), fte=12.25, founded_year=datetime(1998, 3, 1), postal_code=33000)
    ]

    actor_import = run_file(staff_client, xlsx_upload(rows))

    assert actor_import.created_count == 1, actor_import.rejected_rows
    actor = Actor.objects.get()
    assert actor.siret == fictitious_siret(7)
    assert actor.fte == Decimal("12.3")
    assert actor.founded_year == 1998
    assert parse_siret(int(siret_with_leading_zero)) == siret_with_leading_zero


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "vide.csv", "Le fichier est vide."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "vieux.xls", "Excel 97-2003 (.xls) ne sont pas acceptés"),
        (b"\x89PNG\r\n\x1a\n\0\0\0", "image.csv", "ni un fichier CSV (texte) ni un classeur Excel"),
        (b"Nom\nA\n", "une-colonne.csv", "La première ligne du fichier doit contenir les intitulés"),
        (b"Raison sociale;SIRET\n", "sans-lignes.csv", "aucune ligne d’acteur"),
    ],
)
def test_files_that_cannot_be_imported_get_a_clear_french_error(staff_client, content, name, message):
    response = staff_client.post(reverse("actors:import_list"), {"file": SimpleUploadedFile(name, content)})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert not ActorImport.objects.exists()


def test_an_ods_workbook_is_refused_by_its_content(staff_client):
    import zipfile

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    response = staff_client.post(
        reverse("actors:import_list"), {"file": SimpleUploadedFile("classeur.xlsx", output.getvalue())}
    )

    assert "OpenDocument (.ods) ne sont pas acceptés" in " ".join(response.context["form"].errors["file"])


def test_a_file_over_the_size_limit_is_refused(staff_client, settings):
    settings.ACTOR_IMPORT_MAX_FILE_SIZE = 100

    response = staff_client.post(reverse("actors:import_list"), {"file": csv_upload([actor_row(n) for n in range(5)])})

    assert "la limite est de" in " ".join(response.context["form"].errors["file"])


def test_required_columns_must_be_mapped_and_a_column_used_once(staff_client):
    actor_import = upload(staff_client, csv_upload([actor_row(1)]))
    data = {key: str(column) for key, column in actor_import.mapping.items()}
    data["siret"] = ""
    data["address"] = data["name"]

    response = staff_client.post(reverse("actors:import_mapping", args=[actor_import.pk]), data)

    errors = response.context["form"].errors
    assert errors["siret"] == ["Choisissez la colonne qui contient ce champ obligatoire."]
    assert "une colonne ne sert qu’une fois" in errors["address"][0]


def test_a_large_file_runs_as_a_background_job_with_progress_and_report(
    staff_client, staff_user, settings, django_capture_on_commit_callbacks, private_media
):
    from ess_portal.jobs.enums import JobKind, JobStatus
    from ess_portal.jobs.models import Job

    settings.ACTOR_IMPORT_INLINE_MAX_ROWS = 2
    settings.ACTOR_IMPORT_GEOCODE = False
    actor_import = preview(staff_client, upload(staff_client, xlsx_upload([actor_row(n) for n in range(1, 5)])))

    with django_capture_on_commit_callbacks(execute=True):
        actor_import = confirm(staff_client, actor_import)

    job = Job.objects.get()
    assert (job.kind, job.status, job.progress, job.requested_by) == (
        JobKind.ACTOR_IMPORT,
        JobStatus.DONE,
        100,
        staff_user,
    )
    assert job.result_filename == f"rapport-import-acteurs-{actor_import.pk}.csv"
    actor_import.refresh_from_db()
    assert actor_import.job == job
    assert actor_import.file.path.startswith(str(private_media / "imports" / "acteurs"))
    assert actor_import.status == ActorImportStatus.DONE
    assert actor_import.created_count == 4
    assert Actor.objects.count() == 4
    response = staff_client.get(reverse("actors:import_detail", args=[actor_import.pk]))
    assert "Acteurs créés" in response.content.decode()


def test_the_import_job_run_twice_writes_once(staff_user, reference_data, settings):
    from ess_portal.jobs.enums import JobKind
    from ess_portal.jobs.models import Job

    actor_import = create_import(uploaded=csv_upload([actor_row(1)]), by=staff_user)
    build_preview(actor_import=actor_import, mapping=actor_import.mapping)
    job = Job.objects.create(
        kind=JobKind.ACTOR_IMPORT, parameters={"import_id": actor_import.pk}, requested_by=staff_user
    )

    import_actors(job)
    report = import_actors(job)

    assert Actor.objects.count() == 1
    assert b"cr\xc3\xa9\xc3\xa9e" in report.read()
    actor_import.refresh_from_db()
    assert actor_import.created_count == 1


def test_people_who_do_not_manage_actors_get_403_on_every_import_page(
    client, user_with_role, staff_user, reference_data
):
    from accounts.enums import Role

    actor_import = create_import(uploaded=csv_upload([actor_row(1)]), by=staff_user)
    urls = [
        ("get", reverse("actors:import_list")),
        ("post", reverse("actors:import_list")),
        ("get", reverse("actors:import_mapping", args=[actor_import.pk])),
        ("post", reverse("actors:import_mapping", args=[actor_import.pk])),
        ("get", reverse("actors:import_preview", args=[actor_import.pk])),
        ("post", reverse("actors:import_confirm", args=[actor_import.pk])),
        ("get", reverse("actors:import_detail", args=[actor_import.pk])),
        ("get", reverse("actors:import_report", args=[actor_import.pk])),
    ]
    for role in (Role.APPLICANT, Role.ELECTED, Role.PROCUREMENT, Role.PARTNER):
        client.force_login(user_with_role(role))
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 403, (role, url)
    actor_import.refresh_from_db()
    assert actor_import.status == ActorImportStatus.UPLOADED
    assert not Actor.objects.exists()


def test_the_import_list_runs_the_same_queries_whatever_the_number_of_imports(
    staff_client, staff_user, django_assert_num_queries
):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert staff_client.get(reverse("actors:import_list")).status_code == 200
        return len(context)

    create_import(uploaded=csv_upload([actor_row(1)]), by=staff_user)
    few = count_queries()
    for _ in range(5):
        create_import(uploaded=csv_upload([actor_row(1)]), by=staff_user)

    with django_assert_num_queries(few):
        staff_client.get(reverse("actors:import_list"))


def test_filiere_names_codes_and_segments_are_recognised(staff_client):
    header = [*HEADER, "Segments"]
    rows = [actor_row(1, filieres="logistique zero carbone, 1.1.4") + ["Cyclologistique|Artisanat"]]

    actor_import = run_file(staff_client, csv_upload(rows, header=header))

    assert actor_import.created_count == 1, actor_import.rejected_rows
    actor = Actor.objects.get()
    assert sorted(actor.filieres.values_list("code", flat=True)) == ["1.1.1", "1.1.4"]
    assert sorted(actor.segments.values_list("name", flat=True)) == ["Artisanat", "Cyclologistique"]
    assert Filiere.objects.count() == 4


def test_the_mapping_page_shows_the_proposed_column_for_each_field(staff_client):
    actor_import = upload(staff_client, csv_upload([actor_row(1)]))

    response = staff_client.get(reverse("actors:import_mapping", args=[actor_import.pk]))

    form = response.context["form"]
    assert form["siret"].value() == "1"
    assert form["segments"].value() is None
    assertContains(response, "Colonne B – N° SIRET")


def test_a_running_import_shows_the_progress_of_its_job(staff_client, staff_user, settings):
    settings.ACTOR_IMPORT_INLINE_MAX_ROWS = 1
    actor_import = preview(staff_client, upload(staff_client, csv_upload([actor_row(1), actor_row(2)])))

    actor_import = confirm(staff_client, actor_import)  # the job waits for the commit, which tests never do

    assert actor_import.status == ActorImportStatus.QUEUED
    response = staff_client.get(reverse("actors:import_detail", args=[actor_import.pk]))
    assertContains(response, f'data-job-id="{actor_import.job.pk}"')
    assertContains(response, "js/jobs.js")
    assert staff_client.post(reverse("actors:import_confirm", args=[actor_import.pk])).status_code == 302
    assert ActorImport.objects.get().job == actor_import.job, "confirming twice starts one job"
    assert not Actor.objects.exists()
