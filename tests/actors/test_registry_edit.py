from decimal import Decimal
from unittest import mock

import pytest
from django.db import IntegrityError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertFormError

from actors.enums import AgrementKind, LegalForm, SiaeType
from actors.models import Actor, Agrement, Contact
from tests.actors.factories import ActorFactory, CommuneFactory, fictitious_siret
from tests.filieres.factories import FiliereFactory, SegmentFactory

CREATE_URL = reverse("actors:actor_create")


def management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def actor_data(commune, **overrides) -> dict:
    data = {
        "name": "Les Ateliers du Réemploi",
        "siret": fictitious_siret(4242),
        "legal_form": LegalForm.SCIC,
        "commune": commune.pk,
        "address": "12 quai de Brazza",
        "postal_code": "33100",
        "website": "",
        "fte": "7.5",
        "founded_year": "2016",
        "description": "Collecte et revente d’objets.",
        **management("agrements"),
        **management("contacts"),
    }
    data.update(overrides)
    return data


@pytest.fixture
def commune(db):
    return CommuneFactory(name="Bordeaux", insee_code="33063", slug="bordeaux")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_staff_create_an_actor_with_an_agrement_and_a_contact(staff_client, staff_user, commune):
    data = actor_data(
        commune,
        website="www.ateliers-reemploi.fr",
        **management("agrements", total=1),
        **{"agrements-0-kind": AgrementKind.SIAE, "agrements-0-siae_type": SiaeType.ACI},
        **management("contacts", total=1),
        **{"contacts-0-name": "Camille Martin", "contacts-0-role": "Directrice", "contacts-0-email": "c@ex.fr"},
    )
    response = staff_client.post(CREATE_URL, data, follow=True)

    actor = Actor.objects.get()
    assert response.redirect_chain[-1][0] == reverse("actors:actor_detail", args=[actor.pk])
    assertContains(response, "L’acteur « Les Ateliers du Réemploi » a été créé.")
    assert actor.website == "https://www.ateliers-reemploi.fr"
    assert actor.fte == Decimal("7.5")
    assert actor.agrements.get().siae_type == SiaeType.ACI
    assert actor.contacts.get().name == "Camille Martin"
    assert actor.history.get().history_user == staff_user
    assert Agrement.history.get().history_user == staff_user
    assert Contact.history.get().history_user == staff_user


def test_a_siret_typed_with_spaces_is_stored_as_14_digits_and_its_siren_shown(staff_client, commune):
    siret = fictitious_siret(77)
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    response = staff_client.post(CREATE_URL, actor_data(commune, siret=spaced), follow=True)
    actor = Actor.objects.get()
    assert actor.siret == siret
    assertContains(response, f"<dt>SIREN</dt><dd>{siret[:9]}</dd>", html=True)


def test_an_invalid_siret_is_refused_with_its_checksum_message(staff_client, commune):
    response = staff_client.post(CREATE_URL, actor_data(commune, siret="12345678901234"))
    assert response.status_code == 200
    assertFormError(
        response.context["form"],
        "siret",
        "Le numéro SIRET « 12345678901234 » n’est pas valide (14 chiffres, clé de contrôle).",
    )
    assertContains(response, "La fiche n’a pas été enregistrée")
    assert not Actor.objects.exists()


def test_a_siret_already_used_is_refused_with_a_link_to_the_other_actor(staff_client, commune):
    existing = ActorFactory(name="Première structure", siret=fictitious_siret(5))
    response = staff_client.post(CREATE_URL, actor_data(commune, siret=fictitious_siret(5)))
    url = reverse("actors:actor_detail", args=[existing.pk])
    assertFormError(
        response.context["form"],
        "siret",
        f'Un acteur avec ce SIRET existe déjà : <a href="{url}">Première structure</a>',
    )
    assertContains(response, f'Un acteur avec ce SIRET existe déjà : <a href="{url}">Première structure</a>')
    assert Actor.objects.count() == 1


def test_editing_an_actor_keeps_its_own_siret(staff_client, commune):
    actor = ActorFactory(commune=commune, siret=fictitious_siret(9))
    response = staff_client.post(
        reverse("actors:actor_update", args=[actor.pk]),
        actor_data(commune, siret=fictitious_siret(9), name="Nouveau nom"),
    )
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.name == "Nouveau nom"


def test_a_siae_agrement_needs_its_type(staff_client, commune):
    data = actor_data(commune, **management("agrements", total=1), **{"agrements-0-kind": AgrementKind.SIAE})
    response = staff_client.post(CREATE_URL, data)
    assert response.status_code == 200
    assertFormError(
        response.context["agrement_formset"].forms[0],
        "siae_type",
        "Précisez le type de SIAE (ACI, EI, ETTI, AI ou EITI).",
    )
    assert not Actor.objects.exists()
    assert not Agrement.objects.exists()


def test_an_agrement_must_expire_after_it_was_obtained(staff_client, commune):
    data = actor_data(
        commune,
        **management("agrements", total=1),
        **{
            "agrements-0-kind": AgrementKind.ESUS,
            "agrements-0-obtained_on": "2024-05-01",
            "agrements-0-expires_on": "2023-05-01",
        },
    )
    response = staff_client.post(CREATE_URL, data)
    assertFormError(
        response.context["agrement_formset"].forms[0],
        "expires_on",
        "La date d’expiration doit suivre la date d’obtention.",
    )
    assert not Actor.objects.exists()


def test_segments_must_belong_to_the_chosen_filieres(staff_client, commune):
    mobility = FiliereFactory(name="Mobilités")
    food = FiliereFactory(name="Alimentation")
    cargo_bikes = SegmentFactory(filiere=mobility, name="Cyclologistique")
    response = staff_client.post(CREATE_URL, actor_data(commune, filieres=[food.pk], segments=[cargo_bikes.pk]))
    assertFormError(
        response.context["form"],
        "segments",
        "Ces segments n’appartiennent à aucune des filières choisies : « Cyclologistique ». "
        "Cochez leur filière ou décochez-les.",
    )
    assert not Actor.objects.exists()

    response = staff_client.post(CREATE_URL, actor_data(commune, filieres=[mobility.pk], segments=[cargo_bikes.pk]))
    assert response.status_code == 302
    assert list(Actor.objects.get().segments.all()) == [cargo_bikes]


def test_a_website_without_scheme_gets_https(staff_client, commune):
    staff_client.post(CREATE_URL, actor_data(commune, website="exemple.org"))
    assert Actor.objects.get().website == "https://exemple.org"


def test_a_failure_while_saving_leaves_nothing_half_saved(staff_client, commune):
    data = actor_data(
        commune,
        **management("contacts", total=1),
        **{"contacts-0-name": "Camille Martin"},
    )
    with (
        mock.patch("actors.services._save_inline", side_effect=[None, RuntimeError("disk full")]),
        pytest.raises(RuntimeError),
    ):
        staff_client.post(CREATE_URL, data)
    assert not Actor.objects.exists()
    assert not Actor.history.exists()


def test_creating_an_actor_geocodes_it_after_commit(staff_client, commune, django_capture_on_commit_callbacks):
    with (
        mock.patch("actors.tasks.geocode_actor.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        staff_client.post(CREATE_URL, actor_data(commune))
    delay.assert_called_once_with(Actor.objects.get().pk)


def test_only_an_address_change_geocodes_an_actor_again(staff_client, commune, django_capture_on_commit_callbacks):
    actor = ActorFactory(commune=commune, siret=fictitious_siret(12), address="1 rue A", postal_code="33000")
    url = reverse("actors:actor_update", args=[actor.pk])
    base = actor_data(commune, siret=actor.siret, address="1 rue A", postal_code="33000")
    with mock.patch("actors.tasks.geocode_actor.delay") as delay, django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {**base, "description": "Autre texte"})
    delay.assert_not_called()
    with mock.patch("actors.tasks.geocode_actor.delay") as delay, django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {**base, "address": "2 rue B"})
    delay.assert_called_once_with(actor.pk)


def test_agrements_and_contacts_can_be_edited_and_removed(staff_client, staff_user, commune):
    actor = ActorFactory(commune=commune)
    agrement = Agrement.objects.create(actor=actor, kind=AgrementKind.ESUS)
    contact = Contact.objects.create(actor=actor, name="Ancien contact")
    data = actor_data(
        commune,
        siret=actor.siret,
        **management("agrements", total=1, initial=1),
        **{"agrements-0-id": agrement.pk, "agrements-0-kind": AgrementKind.EA},
        **management("contacts", total=1, initial=1),
        **{"contacts-0-id": contact.pk, "contacts-0-name": "Ancien contact", "contacts-0-DELETE": "on"},
    )
    response = staff_client.post(reverse("actors:actor_update", args=[actor.pk]), data, follow=True)
    assertContains(response, "Les modifications de « Les Ateliers du Réemploi » ont été enregistrées.")
    assert actor.agrements.get().kind == AgrementKind.EA
    assert not actor.contacts.exists()
    deletion = Contact.history.get(history_type="-")
    assert deletion.history_user == staff_user


def test_verified_box_stamps_the_verification_date(staff_client, commune):
    staff_client.post(CREATE_URL, actor_data(commune, is_verified="on"))
    assert Actor.objects.get().verified_at is not None


@pytest.mark.parametrize("role_fixture", ["elected_user", "procurement_user", "partner_user", "applicant_user"])
def test_other_roles_may_not_create_edit_or_archive(client, request, commune, role_fixture):
    actor = ActorFactory(commune=commune, name="Intouchable")
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, actor_data(commune)).status_code == 403
    update_url = reverse("actors:actor_update", args=[actor.pk])
    assert client.post(update_url, actor_data(commune, name="Piraté")).status_code == 403
    archive_url = reverse("actors:actor_archive", args=[actor.pk])
    assert client.post(archive_url, {"action": "archive"}).status_code == 403
    actor.refresh_from_db()
    assert (actor.name, actor.is_archived) == ("Intouchable", False)
    assert Actor.objects.count() == 1


def test_a_wrong_id_answers_404(staff_client, db):
    assert staff_client.get(reverse("actors:actor_update", args=[999999])).status_code == 404
    assert staff_client.get(reverse("actors:actor_archive", args=[999999])).status_code == 404


def test_archiving_asks_for_confirmation_then_hides_the_actor_and_restoring_brings_it_back(
    staff_client, staff_user, commune
):
    actor = ActorFactory(commune=commune, name="Ressourcerie")
    url = reverse("actors:actor_archive", args=[actor.pk])
    assertContains(staff_client.get(url), "Archiver « Ressourcerie » ?")
    actor.refresh_from_db()
    assert not actor.is_archived

    response = staff_client.post(url, {"action": "archive"}, follow=True)
    assertContains(response, "L’acteur « Ressourcerie » a été archivé")
    actor.refresh_from_db()
    assert actor.is_archived
    assert Actor.objects.filter(pk=actor.pk).exists()
    record = actor.history.first()
    assert (record.history_user, record.history_change_reason) == (staff_user, "Archivage")
    assert "Ressourcerie" not in staff_client.get(reverse("actors:actor_list")).content.decode()

    assertContains(staff_client.get(url), "Restaurer « Ressourcerie » ?")
    response = staff_client.post(url, {"action": "restore"}, follow=True)
    assertContains(response, "L’acteur « Ressourcerie » a été restauré.")
    actor.refresh_from_db()
    assert not actor.is_archived


def test_the_form_page_renders_accessible_formsets(staff_client, commune):
    response = staff_client.get(CREATE_URL)
    assertContains(response, '<label for="id_agrements-0-kind">')
    assertContains(response, '<label for="id_contacts-0-name">')
    assertContains(response, "<legend>Agrément 1</legend>", html=True)
    assertContains(response, "js/formset.js")


def test_a_siret_saved_concurrently_gives_a_form_error_not_a_crash(staff_client, commune):
    with mock.patch("actors.services.save_actor", side_effect=IntegrityError("unique_actor_siret")):
        response = staff_client.post(CREATE_URL, actor_data(commune))
    assert response.status_code == 200
    assertFormError(
        response.context["form"],
        "siret",
        "Un acteur avec ce SIRET vient d’être enregistré par ailleurs : vérifiez le répertoire.",
    )
    assert not Actor.objects.exists()


def test_the_edit_page_shows_existing_agrements_and_contacts(staff_client, commune):
    actor = ActorFactory(commune=commune)
    Agrement.objects.create(actor=actor, kind=AgrementKind.SIAE, siae_type=SiaeType.ACI)
    Contact.objects.create(actor=actor, name="Ana Lopez", role="Directrice")
    response = staff_client.get(reverse("actors:actor_update", args=[actor.pk]))
    assertContains(response, "SIAE – structure d’insertion par l’activité économique")
    assertContains(response, "Ana Lopez")
