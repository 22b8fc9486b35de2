"""Import of the official CPV 2008 workbook: significant digits, labels, parents, preview, all-or-nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from accounts.enums import Role
from procurement.cpv.importing import analyse, import_codes, significant_code
from procurement.cpv.models import CpvCode
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

IMPORT = reverse("procurement:cpv_import")
CONFIRM = reverse("procurement:cpv_import_confirm")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OFFICIAL_ROWS = [
    ("45000000-7", "Construction work", "Travaux de construction"),
    ("45200000-9", "Works for complete or part construction", "Travaux de construction complète ou partielle"),
    ("90000000-7", "Sewage, refuse, cleaning", "Services d'évacuation des eaux usées et d'élimination des déchets"),
    ("90500000-2", "Refuse and waste related services", "Services liés aux déchets et aux ordures"),
    ("90511000-2", "Refuse collection services", "Services de collecte des ordures"),
    ("03000000-1", "Agricultural products", "Produits agricoles"),
]


def workbook_bytes(rows, *, headers=("CODE", "BG", "EN", "FR", "DE"), sheet_before=False) -> bytes:
    """A workbook in the EU's layout: a CODE column and one label column per language."""
    workbook = Workbook()
    sheet = workbook.active
    if sheet_before:
        sheet.title = "Notes"
        sheet.append(["Common Procurement Vocabulary 2008"])
        sheet = workbook.create_sheet("CPV")
    sheet.append(list(headers))
    for code, english, french in rows:
        sheet.append([code, "…", english, french, "…"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name="cpv_2008.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX_TYPE)


@pytest.mark.parametrize(
    ("official", "stored"),
    [
        ("45000000-7", "45"),
        ("90511000-2", "90511"),
        ("03000000-1", "03"),
        ("10000000-2", "10"),
        ("30213100-6", "302131"),
    ],
)
def test_codes_are_stored_as_their_significant_digits(official, stored):
    assert significant_code(official) == stored


def test_the_import_creates_codes_updates_labels_and_links_parents():
    CpvCode.objects.create(code="90", label="Ancien libellé")
    CpvCode.objects.create(code="9051", label="Élimination et traitement des ordures")  # absent from the file

    counts = import_codes(analyse(workbook_bytes(OFFICIAL_ROWS)))

    assert counts == {"new": 5, "updated": 1, "unchanged": 0, "invalid": 0}
    codes = {cpv.code: cpv for cpv in CpvCode.objects.select_related("parent")}
    assert codes["90"].label == "Services d'évacuation des eaux usées et d'élimination des déchets"
    assert codes["452"].parent.code == "45"
    assert codes["905"].parent.code == "90"
    assert codes["9051"].parent.code == "905"  # relinked to the new, longer prefix
    assert codes["90511"].parent.code == "9051"
    assert codes["03"].parent is None


def test_a_second_import_of_the_same_file_changes_nothing():
    import_codes(analyse(workbook_bytes(OFFICIAL_ROWS)))

    assert analyse(workbook_bytes(OFFICIAL_ROWS)).counts == {"new": 0, "updated": 0, "unchanged": 6, "invalid": 0}


def test_header_variants_and_a_sheet_before_the_list_are_accepted():
    data = workbook_bytes(OFFICIAL_ROWS, headers=(" Code ", "bg", "en", " fr", "de"), sheet_before=True)

    assert analyse(data).counts["new"] == 6


def test_invalid_rows_are_reported_with_their_reason_and_skipped():
    rows = [
        *OFFICIAL_ROWS[:2],
        ("4500000-7", "Bad", "Code trop court"),
        ("", "No code", "Sans code"),
        ("77000000-0", "No French", ""),
        ("45000000-7", "Duplicate", "Doublon"),
    ]

    analysis = analyse(workbook_bytes(rows))
    import_codes(analysis)

    assert [(row.line, row.reason) for row in analysis.invalid_rows] == [
        (4, "Code « 4500000-7 » invalide : 8 chiffres et le chiffre de contrôle attendus (ex. 45000000-7)."),
        (5, "Code manquant."),
        (6, "Libellé français (colonne FR) manquant."),
        (7, "Code déjà présent ligne 2 du fichier."),
    ]
    assert set(CpvCode.objects.values_list("code", flat=True)) == {"45", "452"}
    assert CpvCode.objects.get(code="45").label == "Travaux de construction"


@pytest.fixture
def admin(client):
    user = UserFactory(role=Role.ADMIN)
    client.force_login(user)
    return client


def test_an_admin_previews_the_counts_then_imports_all_at_once(admin):
    CpvCode.objects.create(code="45", label="Travaux de construction")

    preview = admin.post(IMPORT, {"file": upload(workbook_bytes(OFFICIAL_ROWS))})

    assert preview.context["counts"] == {"new": 5, "updated": 0, "unchanged": 1, "invalid": 0}
    assert CpvCode.objects.count() == 1  # nothing written by the preview
    done = admin.post(CONFIRM, follow=True)
    assert "5 codes créés" in done.content.decode()
    assert CpvCode.objects.count() == 6
    # The stored file is forgotten: confirming again imports nothing.
    again = admin.post(CONFIRM, follow=True)
    assert "Aucun fichier en attente d’import" in again.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"CODE;FR\n45000000-7;Travaux\n", "Ce fichier n’est pas un classeur Excel (.xlsx)"),
        (b"PK\x03\x04 pas vraiment un zip", "Le classeur Excel est endommagé"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Excel 97-2003 (.xls) ne sont pas acceptés"),
        (workbook_bytes(OFFICIAL_ROWS, headers=("Code", "EN", "Libellé", "DE", "X")), "colonnes « CODE » et « FR »"),
    ],
)
def test_files_that_are_not_the_official_workbook_are_refused_in_french(admin, data, message):
    response = admin.post(IMPORT, {"file": upload(data)})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CpvCode.objects.exists()


@pytest.mark.parametrize("role", [Role.STAFF, Role.PROCUREMENT, Role.APPLICANT])
def test_only_administrators_import_the_cpv_list(client, user_with_role, role):
    client.force_login(user_with_role(role))

    assert client.get(IMPORT).status_code == 403
    assert client.post(CONFIRM).status_code == 403


def test_the_management_command_imports_a_file(tmp_path):
    path = tmp_path / "cpv_2008.xlsx"
    path.write_bytes(workbook_bytes(OFFICIAL_ROWS))

    call_command("import_cpv", str(path), "--dry-run")
    assert not CpvCode.objects.exists()
    call_command("import_cpv", str(path))
    assert CpvCode.objects.count() == 6
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("import_cpv", str(tmp_path / "absent.xlsx"))
