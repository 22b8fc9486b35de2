"""Import of a year's purchases (share of ESS spend): reading, checks, matching, all-or-nothing, background job."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts.enums import Role
from actors.enums import AgrementKind, SiaeType
from actors.models import Agrement
from ess_portal.jobs.enums import JobKind, JobStatus
from ess_portal.jobs.models import Job
from ess_portal.jobs.registry import JobFailed
from procurement.enums import SiretMatch
from procurement.job_handlers import import_purchases
from procurement.spend import importing
from procurement.spend.models import Purchase, PurchaseImport
from procurement.spend.report import spend_report
from tests.actors.factories import ActorFactory, CommuneFactory, fictitious_siret
from tests.filieres.factories import FiliereFactory
from tests.procurement.factories import UNKNOWN_SIRET

HEADER = ["N° SIRET", "Fournisseur", "Montant HT", "Date de mandatement", "Direction acheteuse", "Code CPV"]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def registry(db):
    """Three ESS suppliers (SIAE in two filières, ESAT, ESUS until June) and an archived one."""
    bordeaux, begles = CommuneFactory(name="Bordeaux"), CommuneFactory(name="Bègles")
    circular, proximity = FiliereFactory(name="Économie circulaire"), FiliereFactory(name="Économie de proximité")
    recyclerie = ActorFactory(name="Recyclerie A", commune=bordeaux, filieres=[circular, proximity])
    Agrement.objects.create(actor=recyclerie, kind=AgrementKind.SIAE, siae_type=SiaeType.ACI, obtained_on="2024-01-01")
    esat = ActorFactory(name="ESAT B", commune=begles, filieres=[circular])
    Agrement.objects.create(actor=esat, kind=AgrementKind.ESAT)
    coop = ActorFactory(name="Coop C", commune=bordeaux)
    Agrement.objects.create(actor=coop, kind=AgrementKind.ESUS, obtained_on="2025-01-01", expires_on="2025-06-30")
    archived = ActorFactory(name="Ancienne structure", is_archived=True)
    return {"recyclerie": recyclerie, "esat": esat, "coop": coop, "archived": archived}


def spaced(siret: str) -> str:
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"


def known_rows(registry) -> list[list]:
    """The known purchase file of 2025: 11,500.00 € in all, 5,234.56 € with ESS suppliers."""
    recyclerie, esat, coop = registry["recyclerie"].siret, registry["esat"].siret, registry["coop"].siret
    return [
        [spaced(recyclerie), "Recyclerie A", "1 234,56", "15/03/2025", "Direction des bâtiments", "90910000-9"],
        [".".join([recyclerie[:9], recyclerie[9:]]), "", "1000.00", "2025-04-01", "Direction de la propreté", ""],
        [esat, "ESAT B", "2\u00a0500,00 €", "31/12/2025", "Direction des bâtiments", "9091"],
        [coop, "Coop C", "300", "10/03/2025", "Direction de la propreté", ""],
        [coop, "Coop C", "200,00", "10/10/2025", "Direction de la propreté", ""],
        [UNKNOWN_SIRET, "Entreprise classique", "4 765,44", "01/06/2025", "Direction des bâtiments", ""],
        ["123456789", "Atelier (SIREN seul)", "1000", "02/02/2025", "Direction de la propreté", ""],
        ["", "Régie d’avances", "500,00", "03/03/2025", "", ""],
        [registry["archived"].siret, "Ancienne structure", "0,00", "04/03/2025", "Direction des bâtiments", ""],
    ]


def csv_upload(rows, *, header=HEADER, delimiter=";", encoding="utf-8-sig", name="achats-2025.csv"):
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, output.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows, *, header=HEADER, name="achats-2025.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue(), content_type="application/octet-stream")


@pytest.fixture
def buyer_client(client, db):
    from tests.accounts.factories import UserFactory

    user = UserFactory(role=Role.PROCUREMENT)
    client.force_login(user)
    client.user = user
    return client


def upload(client, uploaded, *, year=2025):
    """Posts the file; returns the preview page (followed redirect)."""
    return client.post(reverse("procurement:spend_import"), {"year": year, "file": uploaded}, follow=True)


def confirm(client, preview_response):
    token = preview_response.context["token"]
    return client.post(reverse("procurement:spend_import_confirm"), {"jeton": token}, follow=True)


def test_the_known_csv_file_gives_exact_figures_and_keeps_unknown_and_malformed_sirets(buyer_client, registry):
    preview = upload(buyer_client, csv_upload(known_rows(registry)))
    figures = preview.context["figures"]
    assert (figures["rows"], figures["errors"], figures["total_amount"]) == (9, 0, Decimal("11500.00"))
    assert (figures["matched_count"], figures["unknown_count"], figures["malformed_count"]) == (5, 2, 2)
    assert Purchase.objects.count() == 0  # the preview saves nothing

    response = confirm(buyer_client, preview)

    assert response.redirect_chain[-1][0] == reverse("procurement:spend_report", args=[2025])
    summary = response.context["summary"]
    assert summary["total_amount"] == Decimal("11500.00")
    assert summary["total_count"] == 9
    assert (summary["ess_amount"], summary["ess_share"]) == (Decimal("5234.56"), Decimal("45.5"))
    assert (summary["siae_amount"], summary["siae_share"]) == (Decimal("2234.56"), Decimal("19.4"))
    assert (summary["ea_esat_amount"], summary["ea_esat_share"]) == (Decimal("2500.00"), Decimal("21.7"))
    assert (summary["esus_amount"], summary["esus_share"]) == (Decimal("300.00"), Decimal("2.6"))
    # The archived structure is no longer in the registry: its SIRET is valid but unknown.
    assert (summary["unknown_count"], summary["unknown_amount"], summary["unknown_share"]) == (
        2,
        Decimal("4765.44"),
        Decimal("41.4"),
    )
    assert (summary["malformed_count"], summary["malformed_amount"], summary["malformed_share"]) == (
        2,
        Decimal("1500.00"),
        Decimal("13.0"),
    )
    page = response.content.decode()
    assert "45,5&nbsp;%" in page
    assert "5\u00a0234,56\u00a0€" in page
    purchase_import = PurchaseImport.objects.get()
    assert (purchase_import.row_count, purchase_import.total_amount) == (9, Decimal("11500.00"))
    assert purchase_import.imported_by == buyer_client.user
    malformed = Purchase.objects.filter(siret_match=SiretMatch.MALFORMED).order_by("row_number")
    assert [(p.row_number, p.supplier_siret, p.amount) for p in malformed] == [
        (8, "123456789", Decimal("1000.00")),
        (9, "", Decimal("500.00")),
    ]
    matched = Purchase.objects.get(row_number=2)
    assert (matched.supplier_siret, matched.actor, matched.cpv_code) == (
        spaced(registry["recyclerie"].siret),
        registry["recyclerie"],
        "90910000-9",
    )


def test_the_same_file_as_xlsx_gives_the_same_figures(buyer_client, registry):
    rows = known_rows(registry)
    for row in rows:
        # Spreadsheet cells: numbers and dates rather than text, as an export from the finance software gives.
        row[2] = float(importing.parse_amount(row[2]))
        row[3] = datetime.combine(importing.parse_date(row[3]), datetime.min.time())
    rows[2][0] = int(registry["esat"].siret)  # a SIRET typed as a number

    response = confirm(buyer_client, upload(buyer_client, xlsx_upload(rows)))

    summary = response.context["summary"]
    assert (summary["total_amount"], summary["ess_amount"], summary["ess_share"]) == (
        Decimal("11500.00"),
        Decimal("5234.56"),
        Decimal("45.5"),
    )
    assert (summary["unknown_count"], summary["malformed_count"]) == (2, 2)
    assert Purchase.objects.get(row_number=4).purchased_on == date(2025, 12, 31)


def test_a_latin1_file_with_commas_is_read(buyer_client, registry):
    rows = [[registry["esat"].siret, "Café Solidaire", "12.50", "2025-02-01", "Direction générale", ""]]
    preview = upload(buyer_client, csv_upload(rows, delimiter=",", encoding="cp1252"))

    assert preview.context["figures"]["matched_amount"] == Decimal("12.50")
    assert "Latin-1" in preview.context["warning"]
    confirm(buyer_client, preview)
    assert Purchase.objects.get().supplier_name == "Café Solidaire"


def test_rows_in_error_refuse_the_whole_import_with_every_reason(buyer_client, registry):
    rows = known_rows(registry)[:2] + [
        [UNKNOWN_SIRET, "A", "douze euros", "01/02/2025", "Direction X", ""],
        [UNKNOWN_SIRET, "B", "10,00", "31/02/2025", "Direction X", ""],
        [UNKNOWN_SIRET, "C", "10,00", "31/12/2024", "Direction X", ""],
        [UNKNOWN_SIRET, "D", "", "", "Direction X", "pas un CPV"],
        [UNKNOWN_SIRET, "E", "1,234", "hier", "Direction X", ""],
    ]

    preview = upload(buyer_client, csv_upload(rows))

    assert preview.context["is_valid"] is False
    page = preview.content.decode()
    assert "Confirmer l’import" not in page
    for reason in [
        "Ligne 4 : montant invalide : « douze euros »",
        "Ligne 5 : date impossible : « 31/02/2025 »",
        "Ligne 6 : date hors de l’année 2025 : 31/12/2024.",
        "Ligne 7 : montant manquant.",
        "Ligne 7 : date manquante.",
        "Ligne 7 : code CPV invalide : « pasunCPV »",
        "Ligne 8 : montant invalide : « 1,234 » (deux décimales au plus).",
        "Ligne 8 : date invalide : « hier »",
    ]:
        assert reason in page
    # Confirming anyway (a forged or replayed form) writes nothing either.
    response = confirm(buyer_client, preview)
    assert "Import refusé : 5 lignes en erreur" in response.content.decode()
    assert PurchaseImport.objects.count() == 0
    assert Purchase.objects.count() == 0


def test_a_file_without_the_required_columns_is_refused_at_upload(buyer_client, registry):
    uploaded = csv_upload([["x", "1"]], header=["Fournisseur", "Prix"])

    response = buyer_client.post(reverse("procurement:spend_import"), {"year": 2025, "file": uploaded})

    error = response.context["form"].errors["file"][0]
    assert "« SIRET du fournisseur »" in error
    assert "« Montant HT »" in error
    assert "« Date »" in error
    assert "« Direction acheteuse »" in error


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["SIRET", "Montant HT", "Date", "Direction", "CPV", "Fournisseur"],
            {"siret": 0, "amount": 1, "purchased_on": 2, "buying_direction": 3, "cpv_code": 4, "supplier_name": 5},
        ),
        (
            ["Nom du fournisseur", "SIRET fournisseur", "Montant H.T.", "Date de mandatement", "Direction acheteuse"],
            {"supplier_name": 0, "siret": 1, "amount": 2, "purchased_on": 3, "buying_direction": 4},
        ),
        (
            ["Tiers", "N° SIRET", "Montant (€ HT)", "Date d’achat", "Service acheteur", "Code CPV"],
            {"supplier_name": 0, "siret": 1, "amount": 2, "purchased_on": 3, "buying_direction": 4, "cpv_code": 5},
        ),
    ],
)
def test_french_header_variants_are_recognised(headers, expected):
    assert importing.propose_mapping(headers, importing.FIELDS) == expected


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56 €", "1234.56"),
        ("1\u202f234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("-150,00", "-150.00"),
        ("12", "12"),
        (1234.56, "1234.56"),
        (99, "99.00"),
    ],
)
def test_amounts_in_french_and_international_notation(raw, amount):
    assert importing.parse_amount(raw) == Decimal(amount)


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        ("31/12/2024", date(2024, 12, 31)),
        ("1/2/2025", date(2025, 2, 1)),
        ("31.12.2024", date(2024, 12, 31)),
        ("2024-12-31", date(2024, 12, 31)),
        ("2024-12-31T00:00:00", date(2024, 12, 31)),
        (datetime(2024, 12, 31, 0, 0), date(2024, 12, 31)),
    ],
)
def test_dates_in_french_and_iso_notation(raw, day):
    assert importing.parse_date(raw) == day


def test_the_classification_is_frozen_at_import_on_the_purchase_date(buyer_client, registry):
    confirm(buyer_client, upload(buyer_client, csv_upload(known_rows(registry))))
    coop_rows = Purchase.objects.filter(actor=registry["coop"]).order_by("purchased_on")
    # ESUS from January to June 2025: the March purchase is ESUS, the October one is not.
    assert [(p.purchased_on.month, p.is_esus) for p in coop_rows] == [(3, True), (10, False)]

    # The registry changes afterwards: the ESAT loses its agrément, the SIAE gains ESUS.
    Agrement.objects.filter(actor=registry["esat"]).delete()
    Agrement.objects.create(actor=registry["recyclerie"], kind=AgrementKind.ESUS)

    summary = spend_report(2025).summary
    assert (summary["ea_esat_amount"], summary["esus_amount"]) == (Decimal("2500.00"), Decimal("300.00"))


def test_a_new_import_of_the_same_year_replaces_the_previous_one(buyer_client, registry):
    confirm(buyer_client, upload(buyer_client, csv_upload(known_rows(registry), name="premier.csv")))
    second = [[registry["esat"].siret, "ESAT B", "100,00", "01/05/2025", "Direction des bâtiments", ""]]

    preview = upload(buyer_client, csv_upload(second, name="second.csv"))
    assert "remplaceront l’import en vigueur (« premier.csv »" in preview.content.decode()
    response = confirm(buyer_client, preview)

    assert response.context["summary"]["total_amount"] == Decimal("100.00")
    assert list(PurchaseImport.objects.order_by("pk").values_list("original_filename", "is_current")) == [
        ("premier.csv", False),
        ("second.csv", True),
    ]
    assert Purchase.objects.count() == 10  # the replaced import stays, for the record
    history = buyer_client.get(reverse("procurement:spend_index")).content.decode()
    assert "premier.csv" in history and "Remplacé" in history


def test_an_import_for_another_year_does_not_replace(buyer_client, registry):
    confirm(buyer_client, upload(buyer_client, csv_upload(known_rows(registry))))
    rows = [[registry["esat"].siret, "ESAT B", "100,00", "01/05/2024", "Direction des bâtiments", ""]]
    confirm(buyer_client, upload(buyer_client, csv_upload(rows), year=2024))

    assert set(PurchaseImport.objects.current().values_list("year", flat=True)) == {2024, 2025}


def test_the_upload_token_only_works_for_its_uploader(buyer_client, client, registry):
    from tests.accounts.factories import UserFactory

    preview = upload(buyer_client, csv_upload(known_rows(registry)))
    other = UserFactory(role=Role.PROCUREMENT)
    client.force_login(other)

    token = preview.context["token"]
    response = client.post(reverse("procurement:spend_import_confirm"), {"jeton": token}, follow=True)

    assert "autre personne" in response.content.decode()
    assert PurchaseImport.objects.count() == 0


def test_confirming_twice_imports_once(buyer_client, registry, django_capture_on_commit_callbacks):
    preview = upload(buyer_client, csv_upload(known_rows(registry)))
    with django_capture_on_commit_callbacks(execute=True):
        confirm(buyer_client, preview)

    response = confirm(buyer_client, preview)

    assert "n’est plus disponible" in response.content.decode()
    assert PurchaseImport.objects.count() == 1


def test_a_large_file_runs_as_a_background_job_with_progress(
    buyer_client, registry, settings, django_capture_on_commit_callbacks
):
    settings.PURCHASE_IMPORT_INLINE_MAX_ROWS = 3
    preview = upload(buyer_client, csv_upload(known_rows(registry)))
    assert "en arrière-plan" in preview.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(buyer_client, preview)

    job = Job.objects.get()
    assert response.redirect_chain[-1][0] == reverse("jobs:job_detail", args=[job.pk])
    assert (job.kind, job.status, job.progress, job.requested_by) == (
        JobKind.PURCHASE_IMPORT,
        JobStatus.DONE,
        100,
        buyer_client.user,
    )
    purchase_import = PurchaseImport.objects.get()
    assert job.parameters["purchase_import_id"] == purchase_import.pk
    assert spend_report(2025).summary["ess_amount"] == Decimal("5234.56")
    with job.result_file.open("rb") as result:
        report = result.read().decode("utf-8-sig").splitlines()
    assert len(report) == 10  # header + every row of the file
    assert report[8].startswith("9;;Régie d’avances;SIRET absent ou invalide;;500,00;03/03/2025;;;non;non;non")


def test_the_import_job_run_twice_writes_once(registry, settings, django_capture_on_commit_callbacks):
    from tests.accounts.factories import UserFactory

    settings.PURCHASE_IMPORT_INLINE_MAX_ROWS = 3
    buyer = UserFactory(role=Role.PROCUREMENT)
    pending = importing.store_upload(uploaded=csv_upload(known_rows(registry)), year=2025, by=buyer)
    with django_capture_on_commit_callbacks(execute=True):
        job = importing.confirm_import(pending=pending, by=buyer)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    job.parameters = Job.objects.get(pk=job.pk).parameters

    report = import_purchases(job)  # the same message delivered again after a crash

    assert PurchaseImport.objects.count() == 1
    assert Purchase.objects.count() == 9
    assert report.name.startswith("achats-2025-import-")


def test_a_refused_file_fails_the_job_with_the_reasons(registry, settings):
    from tests.accounts.factories import UserFactory

    buyer = UserFactory(role=Role.PROCUREMENT)
    rows = known_rows(registry) + [[UNKNOWN_SIRET, "X", "abc", "01/01/2025", "D", ""]]
    pending = importing.store_upload(uploaded=csv_upload(rows), year=2025, by=buyer)
    parameters = {"pending": pending.token(), "user_id": buyer.pk}
    job = Job.objects.create(kind=JobKind.PURCHASE_IMPORT, parameters=parameters)

    with pytest.raises(JobFailed, match="Ligne 11 : montant invalide"):
        import_purchases(job)
    assert Purchase.objects.count() == 0


def test_only_buyers_staff_and_admins_import(client, user_with_role, registry):
    for role in (Role.ELECTED, Role.APPLICANT, Role.PARTNER):
        client.force_login(user_with_role(role))
        assert client.get(reverse("procurement:spend_import")).status_code == 403
        response = client.post(reverse("procurement:spend_import"), {"year": 2025, "file": csv_upload([])})
        assert response.status_code == 403
        assert client.post(reverse("procurement:spend_import_confirm"), {"jeton": "x"}).status_code == 403
    for role in (Role.PROCUREMENT, Role.STAFF, Role.ADMIN):
        client.force_login(user_with_role(role))
        assert client.get(reverse("procurement:spend_import")).status_code == 200
    assert PurchaseImport.objects.count() == 0


def test_actor_siret_helpers_are_shared_with_the_actor_import():
    # Same normalisation as the actor import: spaces, dots and dashes removed, stdnum checks the key.
    siret = fictitious_siret(42)
    assert importing.parse_siret(f" {siret[:3]}.{siret[3:6]}-{siret[6:]} ") == siret
