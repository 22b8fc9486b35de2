import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from actors.enums import LegalForm
from funding.enums import ApplicationStatus, DocumentKind, FinancingSide
from funding.models import Application, DeclaredAid, Document, FinancingLine
from tests.actors.factories import ActorFactory
from tests.funding.factories import (
    EXE_BYTES,
    PNG_BYTES,
    ApplicationFactory,
    DocumentFactory,
    FinancingLineFactory,
    SupportSchemeFactory,
    upload,
)

TODAY = timezone.localdate


def step_url(application, step):
    return reverse("funding:application_step", args=[application.pk, step])


@pytest.fixture
def actor(applicant_user):
    return ActorFactory(members=[applicant_user], legal_form=LegalForm.ASSOCIATION)


@pytest.fixture
def scheme(db):
    return SupportSchemeFactory(ceiling_amount=Decimal("20000.00"))


@pytest.fixture
def draft(actor, scheme):
    return ApplicationFactory(actor=actor, scheme=scheme, title="Recyclerie", requested_amount=Decimal("0"))


@pytest.fixture
def applicant_client(client, applicant_user):
    client.force_login(applicant_user)
    return client


def formset_data(prefix, rows, *, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


# --- Step 1 ----------------------------------------------------------------------------------------------------


def test_step_one_creates_a_draft_for_the_chosen_structure_and_scheme(applicant_client, actor, scheme):
    response = applicant_client.post(reverse("funding:application_start"), {"actor": actor.pk, "scheme": scheme.pk})
    application = Application.objects.get()
    assertRedirects(response, step_url(application, 2))
    assert (application.actor, application.scheme, application.status) == (actor, scheme, ApplicationStatus.DRAFT)


def test_step_one_offers_only_open_schemes_and_the_user_s_structures(applicant_client, actor, scheme):
    closed = SupportSchemeFactory(closed=True, title="Appel fermé")
    unpublished = SupportSchemeFactory(draft=True, title="Appel en préparation")
    other = ActorFactory(name="Structure d’un autre")
    response = applicant_client.get(reverse("funding:application_start"))
    assertContains(response, scheme.title)
    assertContains(response, actor.name)
    for text in (closed.title, unpublished.title, other.name):
        assertNotContains(response, text)
    response = applicant_client.post(reverse("funding:application_start"), {"actor": other.pk, "scheme": scheme.pk})
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_step_one_refuses_a_scheme_not_open_to_the_structure_s_legal_form(applicant_client, actor):
    scop_only = SupportSchemeFactory(title="Fonds coopératif", eligible_legal_forms=[LegalForm.SCOP])
    response = applicant_client.post(reverse("funding:application_start"), {"actor": actor.pk, "scheme": scop_only.pk})
    assertContains(response, "n’est pas ouvert à")
    assert not Application.objects.exists()


def test_step_one_without_a_structure_explains_how_to_declare_one(applicant_client, scheme):
    response = applicant_client.get(reverse("funding:application_start"))
    assertContains(response, "Votre compte n’est rattaché à aucune structure")
    assertContains(response, reverse("accounts:structure_create"))


def test_the_scheme_page_link_preselects_the_scheme(applicant_client, actor, scheme):
    response = applicant_client.get(reverse("funding:application_start") + f"?dispositif={scheme.slug}")
    assertContains(response, f'<option value="{scheme.pk}" selected>')


# --- Step 2: drafts ------------------------------------------------------------------------------------------


def test_the_project_step_saves_a_draft_and_continues(applicant_client, draft, reference_data):
    from actors.models import Commune

    communes = list(Commune.objects.order_by("name")[:2])
    response = applicant_client.post(
        step_url(draft, 2),
        {
            "title": "Recyclerie de quartier",
            "summary": "Collecte et revente d’objets.",
            "starts_on": "2030-01-01",
            "ends_on": "2030-12-31",
            "communes": [commune.pk for commune in communes],
            "continue": "1",
        },
    )
    assertRedirects(response, step_url(draft, 3))
    draft.refresh_from_db()
    assert draft.title == "Recyclerie de quartier"
    assert draft.starts_on == datetime.date(2030, 1, 1)
    assert set(draft.communes.all()) == set(communes)


def test_saving_the_draft_stays_on_the_step_and_marks_it_complete(applicant_client, draft):
    data = {"title": "Recyclerie", "summary": "Résumé", "starts_on": "2030-01-01", "ends_on": "2030-06-30"}
    response = applicant_client.post(step_url(draft, 2), {**data, "save": "1"}, follow=True)
    assertRedirects(response, step_url(draft, 2))
    assertContains(response, "Le projet est enregistré.")
    assertContains(
        response, '<span aria-current="step">2. Projet</span>\n        <span class="badge">✓ complète</span>'
    )


def test_a_project_ending_before_it_starts_is_refused_and_not_saved(applicant_client, draft):
    response = applicant_client.post(
        step_url(draft, 2), {"title": "Autre titre", "starts_on": "2030-06-01", "ends_on": "2030-01-01"}
    )
    assertContains(response, "La fin du projet doit suivre son début.")
    assertContains(response, "Rien n’a été enregistré")
    draft.refresh_from_db()
    assert draft.title == "Recyclerie"


# --- Step 3: financing plan --------------------------------------------------------------------------------


def financing_data(expenses, resources):
    return {
        **formset_data("depenses", [{"label": label, "amount": amount} for label, amount in expenses]),
        **formset_data("ressources", [{"label": label, "amount": amount} for label, amount in resources]),
    }


def test_the_financing_plan_is_saved_and_the_metropole_s_part_is_the_requested_amount(applicant_client, draft):
    draft.requested_amount = Decimal("6000.00")
    draft.save()
    response = applicant_client.post(
        step_url(draft, 3),
        financing_data([("Salaires", "8000"), ("Matériel", "2000")], [("Fonds propres", "4000")]),
        follow=True,
    )
    assertContains(response, "Le plan de financement est enregistré et équilibré.")
    assertContains(response, "Bordeaux Métropole – montant demandé")
    totals = draft.financing_totals()
    assert (totals["expenses"], totals["resources"], totals["all_resources"]) == (
        Decimal("10000.00"),
        Decimal("4000.00"),
        Decimal("10000.00"),
    )
    assert totals["is_balanced"]
    assert FinancingLine.objects.filter(side=FinancingSide.EXPENSE).count() == 2


def test_an_unbalanced_financing_plan_is_saved_as_a_draft_with_a_clear_message(applicant_client, draft):
    draft.requested_amount = Decimal("1000.00")
    draft.save()
    response = applicant_client.post(
        step_url(draft, 3), financing_data([("Salaires", "8000")], [("Fonds propres", "2000")]), follow=True
    )
    assertContains(
        response,
        "Le plan de financement n’est pas équilibré : dépenses 8\xa0000,00\xa0€, ressources 3\xa0000,00\xa0€ "
        "(dont 1\xa0000,00\xa0€ demandés à Bordeaux Métropole), écart de 5\xa0000,00\xa0€.",
    )
    assert not draft.financing_totals()["is_balanced"]


def test_a_financing_plan_with_an_invalid_line_saves_nothing(applicant_client, draft):
    FinancingLineFactory(application=draft, label="Existante", amount=Decimal("500"))
    response = applicant_client.post(
        step_url(draft, 3), financing_data([("Salaires", "8000"), ("", "-5")], [("Fonds propres", "2000")])
    )
    assert response.status_code == 200
    assertContains(response, "Rien n’a été enregistré")
    assert list(FinancingLine.objects.values_list("label", flat=True)) == ["Existante"]


def test_a_resource_line_may_name_a_quadripartite_partner_but_not_the_metropole(
    applicant_client, draft, reference_data
):
    from quadripartite.models import Partner

    region = Partner.objects.get(slug="region-nouvelle-aquitaine")
    metropole = Partner.objects.get(slug="bordeaux-metropole")
    data = financing_data([("Salaires", "8000")], [("Subvention régionale", "3000")])
    response = applicant_client.get(step_url(draft, 3))
    assertContains(response, region.name)
    assertNotContains(response, f'<option value="{metropole.pk}"')
    applicant_client.post(step_url(draft, 3), {**data, "ressources-0-partner": region.pk})
    assert FinancingLine.objects.get(side=FinancingSide.RESOURCE).partner == region


# --- Step 4: amount and declared aids ----------------------------------------------------------------------


def test_an_amount_above_the_ceiling_is_refused_with_the_ceiling_and_saves_nothing(applicant_client, draft):
    data = {
        "requested_amount": "25000",
        **formset_data(
            "aides", [{"funder": "Région", "amount": "5000", "granted_on": str(TODAY()), "regime": "de_minimis"}]
        ),
    }
    response = applicant_client.post(step_url(draft, 4), data)
    assertContains(
        response,
        "Le montant demandé (25\xa0000,00\xa0€) dépasse le plafond du dispositif « "
        f"{draft.scheme.title} » : 20\xa0000,00\xa0€ au plus par demande.",
    )
    draft.refresh_from_db()
    assert draft.requested_amount == 0
    assert not DeclaredAid.objects.exists()


def test_the_amount_and_the_declared_aids_are_saved_together(applicant_client, draft):
    granted_on = TODAY() - datetime.timedelta(days=400)
    data = {
        "requested_amount": "15000",
        **formset_data(
            "aides",
            [{"funder": "Département", "amount": "12000", "granted_on": str(granted_on), "regime": "de_minimis"}],
        ),
    }
    response = applicant_client.post(step_url(draft, 4), data)
    assertRedirects(response, step_url(draft, 4))
    draft.refresh_from_db()
    assert draft.requested_amount == Decimal("15000.00")
    aid = DeclaredAid.objects.get()
    assert (aid.application, aid.funder, aid.amount, aid.granted_on) == (
        draft,
        "Département",
        Decimal("12000"),
        granted_on,
    )


def test_aids_older_than_three_years_are_not_declared(applicant_client, draft):
    old = TODAY() - datetime.timedelta(days=4 * 365)
    data = {
        "requested_amount": "1000",
        **formset_data("aides", [{"funder": "État", "amount": "100", "granted_on": str(old), "regime": "de_minimis"}]),
    }
    assertContains(
        applicant_client.post(step_url(draft, 4), data), "Ne déclarez que les aides des trois dernières années."
    )
    assert not DeclaredAid.objects.exists()


# --- Step 5: documents and the vault -------------------------------------------------------------------------


def test_vault_documents_uploaded_in_an_application_go_to_the_structure_s_vault(applicant_client, draft):
    valid_until = TODAY() + datetime.timedelta(days=365)
    response = applicant_client.post(
        step_url(draft, 5),
        {
            f"file_{DocumentKind.STATUTES}": upload("statuts.pdf"),
            f"valid_until_{DocumentKind.STATUTES}": str(valid_until),
            f"file_{DocumentKind.RIB}": upload("rib.png", PNG_BYTES),
            f"valid_until_{DocumentKind.RIB}": str(valid_until),
            "other_kind": DocumentKind.QUOTE,
            "other_files": [upload("devis.pdf")],
        },
    )
    assertRedirects(response, step_url(draft, 5))
    vault = Document.objects.vault().filter(actor=draft.actor)
    assert set(vault.values_list("kind", flat=True)) == {DocumentKind.STATUTES, DocumentKind.RIB}
    assert set(vault.values_list("valid_until", flat=True)) == {valid_until}
    assert draft.documents.get().kind == DocumentKind.QUOTE
    assert draft.missing_document_kinds(TODAY()) == []


def test_a_vault_document_needs_a_validity_date(applicant_client, draft):
    response = applicant_client.post(step_url(draft, 5), {f"file_{DocumentKind.STATUTES}": upload("statuts.pdf")})
    assertContains(response, "Indiquez jusqu’à quand cette pièce est valable.")
    assert not Document.objects.exists()


def test_a_wrong_file_type_is_refused_and_no_file_nor_row_is_kept(applicant_client, draft, private_media_root):
    valid_until = str(TODAY() + datetime.timedelta(days=365))
    response = applicant_client.post(
        step_url(draft, 5),
        {
            f"file_{DocumentKind.STATUTES}": upload("statuts.pdf"),
            f"valid_until_{DocumentKind.STATUTES}": valid_until,
            f"file_{DocumentKind.RIB}": upload("rib.pdf", EXE_BYTES),
            f"valid_until_{DocumentKind.RIB}": valid_until,
        },
    )
    assertContains(response, "« rib.pdf » n’est pas un fichier accepté")
    assert not Document.objects.exists()
    assert not any(path.is_file() for path in private_media_root.rglob("*"))


def test_a_file_too_big_is_refused_with_a_clear_message(applicant_client, draft, private_media_root, settings):
    from funding import documents

    big = b"%PDF-1.4\n" + b"0" * documents.MAX_DOCUMENT_SIZE
    response = applicant_client.post(
        step_url(draft, 5), {"other_kind": DocumentKind.OTHER, "other_files": [upload("annexe.pdf", big)]}
    )
    assertContains(response, "« annexe.pdf » pèse 10,1 Mo : la taille maximale est de 10 Mo par fichier.")
    assert not Document.objects.exists()
    assert not any(path.is_file() for path in private_media_root.rglob("*"))


def test_the_next_application_reuses_the_vault_s_valid_documents_without_a_new_upload(applicant_client, draft, scheme):
    statutes = DocumentFactory(actor=draft.actor, kind=DocumentKind.STATUTES, original_name="statuts-2024.pdf")
    DocumentFactory(actor=draft.actor, kind=DocumentKind.RIB, original_name="rib.pdf")
    DocumentFactory(
        actor=draft.actor,
        kind=DocumentKind.RIB,
        original_name="vieux-rib.pdf",
        valid_until=TODAY() - datetime.timedelta(days=1),
    )
    next_application = ApplicationFactory(actor=draft.actor, scheme=scheme)
    response = applicant_client.get(step_url(next_application, 5))
    assertContains(response, "Déjà fourni le", count=2)
    assertContains(response, f"valable jusqu’au {statutes.valid_until:%-d}")
    assertNotContains(response, "vieux-rib.pdf")
    assert next_application.missing_document_kinds(TODAY()) == []
    count = Document.objects.count()
    response = applicant_client.post(step_url(next_application, 5), {"continue": "1"})
    assertRedirects(response, step_url(next_application, 6))
    assert Document.objects.count() == count


def test_an_expired_vault_document_must_be_provided_again(draft):
    DocumentFactory(actor=draft.actor, kind=DocumentKind.STATUTES)
    DocumentFactory(actor=draft.actor, kind=DocumentKind.RIB, valid_until=TODAY() - datetime.timedelta(days=1))
    assert draft.missing_document_kinds(TODAY()) == [DocumentKind.RIB]


def test_a_piece_attached_to_a_draft_can_be_removed(
    applicant_client, draft, private_media_root, django_capture_on_commit_callbacks
):
    document = DocumentFactory(actor=draft.actor, application=draft, kind=DocumentKind.QUOTE)
    path = private_media_root / document.file.name
    assert path.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(reverse("funding:application_document_delete", args=[draft.pk, document.pk]))
    assertRedirects(response, step_url(draft, 5))
    assert not Document.objects.exists()
    assert not path.exists()


# --- Step 6: submission --------------------------------------------------------------------------------------


def complete(application):
    application.summary = "Résumé du projet."
    application.starts_on, application.ends_on = datetime.date(2030, 1, 1), datetime.date(2030, 12, 31)
    application.requested_amount = Decimal("6000.00")
    application.save()
    FinancingLineFactory(application=application, amount=Decimal("10000.00"))
    FinancingLineFactory(application=application, side=FinancingSide.RESOURCE, amount=Decimal("4000.00"))
    DocumentFactory(actor=application.actor, kind=DocumentKind.STATUTES)
    DocumentFactory(actor=application.actor, kind=DocumentKind.RIB)
    return application


def test_a_complete_application_is_submitted(applicant_client, draft, applicant_user):
    complete(draft)
    response = applicant_client.post(step_url(draft, 6))
    assertRedirects(response, reverse("funding:applicant_application_detail", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED
    assert draft.transitions.get().by == applicant_user


def test_an_unbalanced_plan_prevents_the_submission_with_a_clear_message(applicant_client, draft):
    complete(draft)
    FinancingLineFactory(application=draft, label="Imprévu", amount=Decimal("500.00"))
    response = applicant_client.post(step_url(draft, 6), follow=True)
    assertContains(response, "Le plan de financement n’est pas équilibré")
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT
    assert not draft.transitions.exists()


def test_missing_pieces_prevent_the_submission(applicant_client, draft):
    complete(draft)
    Document.objects.filter(kind=DocumentKind.RIB).delete()
    response = applicant_client.post(step_url(draft, 6), follow=True)
    assertContains(response, "Pièce manquante : Relevé d’identité bancaire.")
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


def test_a_submitted_application_can_no_longer_be_edited(applicant_client, draft):
    draft.status = ApplicationStatus.SUBMITTED
    draft.save()
    response = applicant_client.post(step_url(draft, 2), {"title": "Changé"})
    assertRedirects(response, reverse("funding:applicant_application_detail", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.title == "Recyclerie"


# --- Access --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5, 6])
def test_another_structure_s_application_is_a_404_at_every_step(applicant_client, actor, step):
    others = ApplicationFactory(scheme=SupportSchemeFactory())
    assert applicant_client.get(step_url(others, step)).status_code == 404
    assert applicant_client.post(step_url(others, step), {"title": "Piraté"}).status_code == 404
    others.refresh_from_db()
    assert others.title != "Piraté"


def test_an_unknown_step_is_a_404(applicant_client, draft):
    assert applicant_client.get(step_url(draft, 7)).status_code == 404


def test_staff_do_not_fill_in_applications(client, staff_user, draft):
    client.force_login(staff_user)
    assert client.get(step_url(draft, 2)).status_code == 403
    assert client.get(reverse("funding:application_start")).status_code == 403
