"""The comité d'engagement: needs for premises expressed by applicants or staff, sittings, agenda and opinions."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from fonciere import committee_services as services
from fonciere.enums import CommitteeDecision, PremisesRequestStatus, PropertyUse
from fonciere.models import CommitteeProposal, PremisesRequest
from tests.accounts.factories import MembershipFactory
from tests.actors.factories import ActorFactory, CommuneFactory
from tests.fonciere.factories import CommitteeSittingFactory, LeaseFactory, PremisesRequestFactory, PropertyFactory

pytestmark = pytest.mark.django_db


def _need_data(actor, **overrides):
    return {
        "actor": actor.pk,
        "surface_needed": "150",
        "use": PropertyUse.ACTIVITY,
        "commune": "",
        "filiere": "",
        "yearly_budget": "9000",
        "needed_from": "2027-03-01",
        "description": "Atelier de réparation de vélos.",
        **overrides,
    }


# --- The applicant's space ----------------------------------------------------------------------------------------


def test_an_applicant_expresses_a_need_for_their_structure_and_follows_it_from_their_space(client):
    membership = MembershipFactory(actor__name="Recyclerie de Floirac")
    client.force_login(membership.user)

    page = client.get(reverse("fonciere:my_leases"))
    assertContains(page, reverse("fonciere:my_premises_request_create"))
    assertContains(page, "Vous n’avez exprimé aucun besoin de locaux.")
    response = client.post(reverse("fonciere:my_premises_request_create"), _need_data(membership.actor))

    need = PremisesRequest.objects.get()
    assert response.url == need.get_absolute_url()
    assert (need.actor, need.surface_needed, need.status) == (membership.actor, Decimal("150"), "open")
    assert need.submitted_by == membership.user
    page = client.get(reverse("fonciere:my_leases"))
    assertContains(page, "Recyclerie de Floirac : 150 m² de locaux d’activité")
    assertContains(page, "à présenter au comité")


def test_an_applicant_cannot_express_a_need_for_another_structure_nor_read_another_ones(client):
    membership = MembershipFactory()
    other = PremisesRequestFactory(actor=ActorFactory(name="Structure voisine"))
    client.force_login(membership.user)

    response = client.post(reverse("fonciere:my_premises_request_create"), _need_data(other.actor))

    assert response.status_code == 200
    assert "actor" in response.context["form"].errors
    assert PremisesRequest.objects.count() == 1
    assert client.get(other.get_absolute_url()).status_code == 404
    assertNotContains(client.get(reverse("fonciere:my_leases")), "Structure voisine")
    assert client.get(reverse("fonciere:premises_request_list")).status_code == 403
    assert client.get(reverse("fonciere:committee_sitting_list")).status_code == 403
    assert client.post(reverse("fonciere:premises_request_withdraw", args=[other.pk])).status_code == 404


def test_an_applicant_without_a_structure_is_sent_back_to_their_space(client, applicant_user):
    client.force_login(applicant_user)
    response = client.get(reverse("fonciere:my_premises_request_create"))
    assert response.url == reverse("fonciere:my_leases")


def test_the_linked_application_must_be_one_of_the_same_structure():
    from tests.funding.factories import ApplicationFactory

    membership = MembershipFactory()
    with pytest.raises(ValidationError, match="même structure"):
        services.express_need(
            actor=membership.actor,
            by=membership.user,
            surface_needed=Decimal("50"),
            use=PropertyUse.OFFICES,
            description="Bureaux",
            application=ApplicationFactory(),
        )


def test_an_applicant_withdraws_a_need_on_the_agenda_and_it_leaves_the_agenda(client):
    membership = MembershipFactory()
    need = PremisesRequestFactory(actor=membership.actor)
    services.put_on_agenda(sitting=CommitteeSittingFactory(), need=need)
    client.force_login(membership.user)

    client.post(reverse("fonciere:premises_request_withdraw", args=[need.pk]))

    need.refresh_from_db()
    assert need.status == PremisesRequestStatus.WITHDRAWN
    assert not CommitteeProposal.objects.exists()
    assert need.history.count() == 3  # expressed, put on the agenda, withdrawn


def test_a_need_with_an_opinion_cannot_be_withdrawn(staff_user):
    need = PremisesRequestFactory()
    proposal = services.put_on_agenda(sitting=CommitteeSittingFactory(), need=need)
    services.decide(proposal=proposal, decision=CommitteeDecision.UNFAVOURABLE, reason="Pas de bien", by=staff_user)
    with pytest.raises(ValidationError, match="déjà reçu l’avis du comité"):
        services.withdraw_need(need=need, by=staff_user)


# --- The comité's sittings ----------------------------------------------------------------------------------------


def test_staff_hold_a_sitting_put_a_need_on_its_agenda_and_match_it_with_a_property(client, staff_user):
    need = PremisesRequestFactory(actor=ActorFactory(name="Atelier Vélo Bègles"), surface_needed=Decimal("150"))
    property = PropertyFactory(name="Halle des Terres Neuves", surface=Decimal("480"))
    LeaseFactory(property=property, surface=Decimal("300"), starts_on=datetime.date(2024, 1, 1), ends_on=None)
    client.force_login(staff_user)

    response = client.post(
        reverse("fonciere:committee_sitting_create"),
        {"held_on": "2025-10-14", "place": "Cité municipale", "attendees": "Service ESS", "minutes": ""},
    )
    sitting_url = response.url
    client.post(sitting_url + "ordre-du-jour/", {"request": need.pk})
    need.refresh_from_db()
    assert need.status == PremisesRequestStatus.ON_AGENDA
    proposal = CommitteeProposal.objects.get()
    decide_url = reverse("fonciere:committee_proposal_decide", args=[proposal.pk])
    assertContains(client.get(sitting_url), decide_url)
    assertContains(client.get(decide_url), "Halle des Terres Neuves (")
    assertContains(client.get(decide_url), "180 m² vacants sur 480 m²")

    response = client.post(
        decide_url, {"decision": CommitteeDecision.FAVOURABLE, "property": property.pk, "reason": "Bien adapté."}
    )

    assert response.url == sitting_url
    need.refresh_from_db()
    assert (need.status, need.matched_property) == (PremisesRequestStatus.FAVOURABLE, property)
    proposal.refresh_from_db()
    assert proposal.decided_by == staff_user
    page = client.get(need.get_absolute_url())
    assertContains(page, "avis favorable")
    assertContains(page, "Halle des Terres Neuves")


def test_the_opinion_is_given_once_on_or_after_the_sittings_day(staff_user):
    need = PremisesRequestFactory()
    future = CommitteeSittingFactory(held_on=datetime.date.today() + datetime.timedelta(days=10))
    proposal = services.put_on_agenda(sitting=future, need=need)
    with pytest.raises(ValidationError, match="n’a pas encore eu lieu"):
        services.decide(proposal=proposal, decision=CommitteeDecision.FAVOURABLE, by=staff_user)

    past = CommitteeSittingFactory()
    need = PremisesRequestFactory()
    proposal = services.put_on_agenda(sitting=past, need=need)
    services.decide(proposal=proposal, decision=CommitteeDecision.FAVOURABLE, by=staff_user)
    with pytest.raises(ValidationError, match="déjà enregistré"):
        services.decide(proposal=proposal, decision=CommitteeDecision.UNFAVOURABLE, reason="x", by=staff_user)


def test_a_property_smaller_than_the_need_or_without_a_favourable_opinion_is_refused_with_the_figures(staff_user):
    need = PremisesRequestFactory(surface_needed=Decimal("900"))
    proposal = services.put_on_agenda(sitting=CommitteeSittingFactory(), need=need)
    small = PropertyFactory(name="Bureaux Mérignac", surface=Decimal("300"))

    with pytest.raises(ValidationError) as error:
        services.decide(proposal=proposal, decision=CommitteeDecision.FAVOURABLE, property=small, by=staff_user)
    assert error.value.messages == [
        "Le bien « Bureaux Mérignac » (300,00 m²) est plus petit que la surface recherchée (900,00 m²)."
    ]
    with pytest.raises(ValidationError, match="qu’avec un avis favorable"):
        services.decide(proposal=proposal, decision=CommitteeDecision.ADJOURNED, property=small, by=staff_user)
    with pytest.raises(ValidationError, match="motif de l’avis défavorable"):
        services.decide(proposal=proposal, decision=CommitteeDecision.UNFAVOURABLE, reason=" ", by=staff_user)
    proposal.refresh_from_db()
    need.refresh_from_db()
    assert (proposal.decision, need.status) == (CommitteeDecision.PENDING, PremisesRequestStatus.ON_AGENDA)


def test_the_refusal_reason_is_shown_next_to_its_field(client, staff_user):
    proposal = services.put_on_agenda(sitting=CommitteeSittingFactory(), need=PremisesRequestFactory())
    client.force_login(staff_user)
    response = client.post(
        reverse("fonciere:committee_proposal_decide", args=[proposal.pk]),
        {"decision": CommitteeDecision.UNFAVOURABLE, "property": "", "reason": ""},
    )
    assert response.context["form"].errors["reason"] == [
        "Indiquez le motif de l’avis défavorable, communiqué à la structure."
    ]


def test_an_adjourned_need_can_go_to_a_later_sitting_and_a_need_is_on_one_agenda_at_a_time(staff_user):
    need = PremisesRequestFactory()
    first = services.put_on_agenda(sitting=CommitteeSittingFactory(held_on=datetime.date(2025, 6, 1)), need=need)
    with pytest.raises(ValidationError, match="inscrit à l’ordre du jour"):
        services.put_on_agenda(sitting=CommitteeSittingFactory(), need=need)

    services.decide(proposal=first, decision=CommitteeDecision.ADJOURNED, by=staff_user)
    need.refresh_from_db()
    assert need.status == PremisesRequestStatus.OPEN
    services.put_on_agenda(sitting=CommitteeSittingFactory(held_on=datetime.date(2025, 10, 1)), need=need)
    assert need.proposals.count() == 2


def test_the_sittings_date_is_fixed_once_an_opinion_is_given(staff_user):
    sitting = CommitteeSittingFactory()
    proposal = services.put_on_agenda(sitting=sitting, need=PremisesRequestFactory())
    services.update_sitting(sitting=sitting, held_on=datetime.date(2025, 10, 15), minutes="Compte rendu")
    services.decide(proposal=proposal, decision=CommitteeDecision.FAVOURABLE, by=staff_user)
    with pytest.raises(ValidationError, match="sa date ne peut plus changer"):
        services.update_sitting(sitting=sitting, held_on=datetime.date(2025, 10, 16))
    services.update_sitting(sitting=sitting, minutes="Compte rendu complété")
    sitting.refresh_from_db()
    assert (sitting.held_on, sitting.minutes) == (datetime.date(2025, 10, 15), "Compte rendu complété")


# --- Readers ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role_fixture", ["elected_user", "partner_user"])
def test_elected_officials_and_partners_read_the_comite_but_write_nothing(client, request, role_fixture):
    need = PremisesRequestFactory(actor=ActorFactory(name="Épicerie du Lac"))
    sitting = CommitteeSittingFactory()
    proposal = services.put_on_agenda(sitting=sitting, need=need)
    client.force_login(request.getfixturevalue(role_fixture))

    assertContains(client.get(reverse("fonciere:premises_request_list")), "Épicerie du Lac")
    assertContains(client.get(sitting.get_absolute_url()), "Épicerie du Lac")
    assertNotContains(client.get(sitting.get_absolute_url()), "Saisir l’avis")
    assert client.get(need.get_absolute_url()).status_code == 200
    assert client.post(reverse("fonciere:committee_sitting_create"), {"held_on": "2026-01-10"}).status_code == 403
    assert client.post(reverse("fonciere:committee_agenda_add", args=[sitting.pk])).status_code == 403
    decide_url = reverse("fonciere:committee_proposal_decide", args=[proposal.pk])
    assert client.post(decide_url, {"decision": "favourable"}).status_code == 403
    assert client.post(reverse("fonciere:premises_request_withdraw", args=[need.pk])).status_code == 403
    assert client.post(reverse("fonciere:premises_request_create"), {}).status_code == 403


def test_the_register_filters_by_status_and_commune_and_exports_what_it_shows(client, staff_user):
    begles = CommuneFactory(name="Bègles")
    PremisesRequestFactory(actor=ActorFactory(name="Atelier Vélo", siret="12345678200015"), commune=begles)
    PremisesRequestFactory(actor=ActorFactory(name="Épicerie du Lac"), status=PremisesRequestStatus.WITHDRAWN)
    client.force_login(staff_user)

    page = client.get(reverse("fonciere:premises_request_list"), {"etat": "open", "commune": begles.pk})
    assert [need.actor.name for need in page.context["needs"]] == ["Atelier Vélo"]
    response = client.get(reverse("fonciere:premises_request_export"), {"etat": "open"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))

    assert rows[0][:5] == ["Besoin", "Exprimé le", "Structure", "SIRET", "Surface recherchée (m²)"]
    assert len(rows) == 2
    assert rows[1][2:5] == ["Atelier Vélo", "12345678200015", "150,00"]
    assert rows[1][6] == "Bègles"
    assert rows[1][10] == "à présenter au comité"
    xlsx = client.get(reverse("fonciere:premises_request_export_xlsx"))
    assert xlsx["Content-Disposition"].startswith('attachment; filename="besoins-de-locaux-')
    xlsx.close()


@pytest.mark.parametrize("count", [2, 12])
def test_the_register_and_the_sittings_run_the_same_queries_whatever_their_size(
    client, staff_user, django_assert_num_queries, count
):
    property = PropertyFactory()
    for index in range(count):
        sitting = CommitteeSittingFactory(held_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=index))
        need = PremisesRequestFactory(commune=CommuneFactory())
        proposal = services.put_on_agenda(sitting=sitting, need=need)
        services.decide(proposal=proposal, decision=CommitteeDecision.FAVOURABLE, property=property, by=staff_user)
    client.force_login(staff_user)
    # session, user, groups, count, the filter form's communes and filières, the page of needs (actor, commune,
    # filière and matched property joined)
    with django_assert_num_queries(7):
        client.get(reverse("fonciere:premises_request_list"))
    # session, user, groups, count, the page of sittings with their counts, the needs awaiting the comité
    with django_assert_num_queries(6):
        client.get(reverse("fonciere:committee_sitting_list"))
    # session, user, groups, the sitting, its proposals (need, actor, commune, property joined), needs awaiting
    with django_assert_num_queries(6):
        client.get(sitting.get_absolute_url())
