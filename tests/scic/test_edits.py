"""Staff correct the SCIC register: the SCIC itself, a capital record, another collectivity's holding (under the
50 % public cap, day by day) and a representative, whose mandate they may also end early. Every change is in the
record's history; elected officials and partners read but get 403 on the forms, as do applicants, who never read the
register (it holds no data of theirs)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts.enums import Role
from actors.enums import LegalForm
from scic import services
from scic.enums import Body, CollectivityKind
from scic.models import CapitalRecord, PublicHolding, Representative, Scic
from tests.actors.factories import ActorFactory
from tests.scic.factories import (
    CapitalRecordFactory,
    PublicHoldingFactory,
    RepresentativeFactory,
    ScicFactory,
    ShareMovementFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def _holding_data(holding, **overrides):
    return {
        "holder_name": holding.holder_name,
        "holder_kind": holding.holder_kind,
        "amount": str(holding.amount),
        "held_from": holding.held_from.isoformat(),
        "held_until": holding.held_until.isoformat() if holding.held_until else "",
        **overrides,
    }


# --- The SCIC itself ----------------------------------------------------------------------------------------------


def test_staff_correct_the_framework_deliberation_and_the_change_is_in_the_history(client, staff_user):
    scic = ScicFactory(framework_deliberation_number="2023/001")
    client.force_login(staff_user)

    assert client.get(reverse("scic:update", args=[scic.pk])).status_code == 200
    response = client.post(
        reverse("scic:update", args=[scic.pk]),
        {
            "actor": scic.actor.pk,
            "framework_deliberation_number": "2023/017",
            "framework_deliberation_on": "2023-03-30",
            "notes": "Numéro corrigé d’après le registre des délibérations.",
        },
    )

    assert response.url == reverse("scic:detail", args=[scic.pk])
    scic.refresh_from_db()
    assert (scic.framework_deliberation_number, scic.framework_deliberation_on) == ("2023/017", D(2023, 3, 30))
    change = scic.history.first()
    assert (change.history_type, change.history_user) == ("~", staff_user)
    assert change.prev_record.framework_deliberation_number == "2023/001"


def test_the_structure_of_a_scic_without_movements_may_be_changed_to_another_scic_structure(client, staff_user):
    scic = ScicFactory()
    other = ActorFactory(legal_form=LegalForm.SCIC, name="Coop Énergie Citoyenne")
    client.force_login(staff_user)

    response = client.post(reverse("scic:update", args=[scic.pk]), {"actor": other.pk})

    assert response.status_code == 302
    scic.refresh_from_db()
    assert scic.actor == other


def test_the_structure_of_a_scic_with_share_movements_is_kept(client, staff_user):
    scic = ScicFactory(actor__name="Coop Vélo Bordeaux")
    ShareMovementFactory(scic=scic)
    original = scic.actor
    other = ActorFactory(legal_form=LegalForm.SCIC)
    client.force_login(staff_user)

    response = client.post(reverse("scic:update", args=[scic.pk]), {"actor": other.pk})

    assert response.status_code == 200
    assert response.context["form"].errors["actor"] == [
        "Des mouvements de parts de « Coop Vélo Bordeaux » sont enregistrés, engagés au nom de cette structure : la "
        "structure de la SCIC ne peut plus être changée."
    ]
    scic.refresh_from_db()
    assert scic.actor == original
    assert scic.history.count() == 1


def test_a_structure_already_in_the_register_is_refused(client, staff_user):
    scic, taken = ScicFactory(), ScicFactory(actor__name="Coop Déjà Là")
    client.force_login(staff_user)

    response = client.post(reverse("scic:update", args=[scic.pk]), {"actor": taken.actor.pk})

    assert response.context["form"].errors["actor"] == ["« Coop Déjà Là » est déjà au registre des SCIC."]
    assert Scic.objects.get(pk=scic.pk).actor_id == scic.actor_id


# --- Capital records ----------------------------------------------------------------------------------------------


def test_staff_correct_a_capital_record_and_the_change_is_in_its_history(client, staff_user):
    scic = ScicFactory()
    record = CapitalRecordFactory(scic=scic, recorded_on=D(2023, 1, 1), amount=Decimal("100000"))
    client.force_login(staff_user)

    assert client.get(reverse("scic:capital_update", args=[scic.pk, record.pk])).status_code == 200
    response = client.post(
        reverse("scic:capital_update", args=[scic.pk, record.pk]),
        {"recorded_on": "2022-12-31", "amount": "98500", "source": "Comptes annuels 2022"},
    )

    assert response.url == reverse("scic:detail", args=[scic.pk])
    record.refresh_from_db()
    assert (record.recorded_on, record.amount, record.source) == (
        D(2022, 12, 31),
        Decimal("98500.00"),
        "Comptes annuels 2022",
    )
    assert scic.capital_on(D(2023, 6, 1)) == Decimal("98500.00")
    change = record.history.first()
    assert (change.history_type, change.history_user, change.amount) == ("~", staff_user, Decimal("98500.00"))


def test_a_capital_record_moved_onto_the_date_of_another_is_refused(client, staff_user):
    scic = ScicFactory()
    CapitalRecordFactory(scic=scic, recorded_on=D(2024, 1, 1))
    record = CapitalRecordFactory(scic=scic, recorded_on=D(2023, 1, 1), amount=Decimal("100000"))
    client.force_login(staff_user)

    response = client.post(
        reverse("scic:capital_update", args=[scic.pk, record.pk]), {"recorded_on": "2024-01-01", "amount": "1"}
    )

    assert response.context["form"].errors["recorded_on"] == [
        "Un capital est déjà enregistré au 01/01/2024 pour cette SCIC : corrigez celui-là."
    ]
    record.refresh_from_db()
    assert (record.recorded_on, record.amount) == (D(2023, 1, 1), Decimal("100000.00"))


def test_a_record_is_changed_only_under_its_own_scic(client, staff_user):
    record = CapitalRecordFactory()
    holding = PublicHoldingFactory()
    representative = RepresentativeFactory()
    elsewhere = ScicFactory()
    client.force_login(staff_user)

    for url in [
        reverse("scic:capital_update", args=[elsewhere.pk, record.pk]),
        reverse("scic:holding_update", args=[elsewhere.pk, holding.pk]),
        reverse("scic:representative_update", args=[elsewhere.pk, representative.pk]),
        reverse("scic:mandate_end", args=[elsewhere.pk, representative.pk]),
    ]:
        assert client.get(url).status_code == 404, url


# --- Other collectivities' holdings and the 50 % public cap -------------------------------------------------------


def test_staff_correct_a_holding_within_the_cap_and_the_change_is_in_its_history(client, staff_user):
    scic = ScicFactory(capital=Decimal("100000"))
    holding = PublicHoldingFactory(scic=scic, amount=Decimal("10000"), held_from=D(2023, 1, 1))
    client.force_login(staff_user)

    assert client.get(reverse("scic:holding_update", args=[scic.pk, holding.pk])).status_code == 200
    response = client.post(
        reverse("scic:holding_update", args=[scic.pk, holding.pk]),
        _holding_data(holding, amount="50000", held_from="2023-02-01", holder_kind=CollectivityKind.DEPARTEMENT),
    )

    assert response.url == reverse("scic:detail", args=[scic.pk])
    holding.refresh_from_db()
    assert (holding.amount, holding.held_from, holding.holder_kind) == (
        Decimal("50000.00"),  # exactly 50 % of the capital with the Métropole's nothing: allowed
        D(2023, 2, 1),
        CollectivityKind.DEPARTEMENT,
    )
    change = holding.history.first()
    assert (change.history_type, change.history_user) == ("~", staff_user)
    assert change.prev_record.amount == Decimal("10000.00")


def test_a_holding_raised_over_the_cap_with_the_metropoles_shares_is_refused_with_the_figures(client, staff_user):
    scic = ScicFactory(capital=Decimal("100000"))
    ShareMovementFactory(scic=scic, shares=100, nominal=Decimal("50"), moved_on=D(2023, 3, 1))  # 5,000 €
    holding = PublicHoldingFactory(scic=scic, amount=Decimal("10000"), held_from=D(2023, 6, 1))
    client.force_login(staff_user)

    response = client.post(
        reverse("scic:holding_update", args=[scic.pk, holding.pk]), _holding_data(holding, amount="48000")
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "La part publique atteindrait 50,5\xa0% du capital (plafond 50\xa0%) : la Métropole détiendrait "
        "5\xa0000,00\xa0€ et les autres collectivités 48\xa0000,00\xa0€, soit 53\xa0000,00\xa0€ sur un capital "
        "de 105\xa0000,00\xa0€ au 01/06/2023 avec cette participation."
    ]
    holding.refresh_from_db()
    assert holding.amount == Decimal("10000.00")
    assert holding.history.count() == 1  # its creation only


def test_the_cap_is_checked_on_every_day_the_changed_holding_is_in_force(staff_user):
    # Capital 100,000 € in 2023, 30,000 € from 2024: 15,000 € held in 2023 only is 15 %; kept into 2024, 50 %.
    scic = ScicFactory(capital=Decimal("100000"))
    CapitalRecordFactory(scic=scic, recorded_on=D(2024, 1, 1), amount=Decimal("30000"))
    holding = PublicHoldingFactory(
        scic=scic, amount=Decimal("15000"), held_from=D(2023, 1, 1), held_until=D(2023, 12, 31)
    )
    change = {
        "holder_name": "Région Nouvelle-Aquitaine",
        "holder_kind": CollectivityKind.REGION,
        "held_from": D(2023, 1, 1),
    }

    services.update_public_holding(holding=holding, amount=Decimal("16000"), held_until=D(2023, 12, 31), **change)
    with pytest.raises(ValidationError) as refusal:
        services.update_public_holding(holding=holding, amount=Decimal("16000"), held_until=None, **change)
    assert refusal.value.messages == [
        "La part publique atteindrait 53,3\xa0% du capital (plafond 50\xa0%) : la Métropole détiendrait 0,00\xa0€ "
        "et les autres collectivités 16\xa0000,00\xa0€, soit 16\xa0000,00\xa0€ sur un capital de 30\xa0000,00\xa0€ "
        "au 01/01/2024 avec cette participation."
    ]
    holding.refresh_from_db()
    assert (holding.amount, holding.held_until) == (Decimal("16000.00"), D(2023, 12, 31))

    services.update_public_holding(holding=holding, amount=Decimal("15000"), held_until=None, **change)
    holding.refresh_from_db()
    assert (holding.amount, holding.held_until) == (Decimal("15000.00"), None)


def test_a_holding_lowered_is_accepted_even_when_the_scic_is_already_over_the_cap(staff_user):
    scic = ScicFactory(capital=Decimal("100000"))
    holding = PublicHoldingFactory(scic=scic, amount=Decimal("60000"), held_from=D(2023, 1, 1))

    services.update_public_holding(
        holding=holding,
        holder_name=holding.holder_name,
        holder_kind=holding.holder_kind,
        amount=Decimal("55000"),
        held_from=D(2023, 1, 1),
    )

    holding.refresh_from_db()
    assert holding.amount == Decimal("55000.00")


def test_a_holding_ending_before_it_starts_is_refused(client, staff_user):
    holding = PublicHoldingFactory(held_from=D(2023, 1, 1))
    client.force_login(staff_user)

    response = client.post(
        reverse("scic:holding_update", args=[holding.scic.pk, holding.pk]),
        _holding_data(holding, held_until="2022-12-31"),
    )

    assert response.context["form"].errors["held_until"] == ["La fin de la détention précède son début."]
    holding.refresh_from_db()
    assert holding.held_until is None


# --- Representatives and their mandates ---------------------------------------------------------------------------


def test_staff_correct_a_representative_and_the_change_is_in_the_history(client, staff_user):
    representative = RepresentativeFactory(person_name="Mme Durand", body=Body.GENERAL_MEETING)
    scic = representative.scic
    client.force_login(staff_user)

    assert client.get(reverse("scic:representative_update", args=[scic.pk, representative.pk])).status_code == 200
    response = client.post(
        reverse("scic:representative_update", args=[scic.pk, representative.pk]),
        {
            "person_name": "Mme Durand-Lefèvre",
            "body": Body.BOARD,
            "deliberation_number": "2023/45",
            "mandate_start_on": "2023-07-01",
            "mandate_end_on": "2026-06-30",
        },
    )

    assert response.url == reverse("scic:detail", args=[scic.pk])
    representative.refresh_from_db()
    assert (representative.person_name, representative.body) == ("Mme Durand-Lefèvre", Body.BOARD)
    assert representative.mandate_end_on == D(2026, 6, 30)
    change = representative.history.first()
    assert (change.history_type, change.history_user, change.prev_record.person_name) == (
        "~",
        staff_user,
        "Mme Durand",
    )


def test_an_ended_mandate_within_ninety_days_shows_among_the_mandates_ending_soon(client, staff_user):
    today = timezone.localdate()
    representative = RepresentativeFactory(person_name="Mme Bientôt", mandate_start_on=D(2023, 7, 1))
    scic = representative.scic
    client.force_login(staff_user)
    assertNotContains(client.get(reverse("scic:register")), "Mme Bientôt")

    assert client.get(reverse("scic:mandate_end", args=[scic.pk, representative.pk])).status_code == 200
    response = client.post(
        reverse("scic:mandate_end", args=[scic.pk, representative.pk]),
        {"mandate_end_on": (today + datetime.timedelta(days=30)).isoformat()},
    )

    assert response.url == reverse("scic:detail", args=[scic.pk])
    representative.refresh_from_db()
    assert representative.mandate_end_on == today + datetime.timedelta(days=30)
    assert list(Representative.objects.ending_soon()) == [representative]
    assertContains(client.get(reverse("scic:register")), "Mme Bientôt")
    assertContains(client.get(reverse("scic:detail", args=[scic.pk])), "(fin proche)")
    change = representative.history.first()
    assert (change.history_type, change.history_user, change.prev_record.mandate_end_on) == ("~", staff_user, None)


@pytest.mark.parametrize(
    ("end", "message"),
    [
        ("2023-06-30", "La fin du mandat (30/06/2023) ne peut pas précéder son début (01/07/2023)."),
        ("2027-01-01", "La fin anticipée du mandat (01/01/2027) ne peut pas dépasser sa fin actuelle (30/06/2026)."),
    ],
)
def test_a_mandate_end_outside_the_mandate_is_refused_and_changes_nothing(client, staff_user, end, message):
    representative = RepresentativeFactory(mandate_start_on=D(2023, 7, 1), mandate_end_on=D(2026, 6, 30))
    client.force_login(staff_user)

    response = client.post(
        reverse("scic:mandate_end", args=[representative.scic.pk, representative.pk]), {"mandate_end_on": end}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["mandate_end_on"] == [message]
    representative.refresh_from_db()
    assert representative.mandate_end_on == D(2026, 6, 30)
    assert representative.history.count() == 1


# --- Who may correct the register ---------------------------------------------------------------------------------


def _records():
    scic = ScicFactory(capital=Decimal("100000"))
    return scic, scic.capital_records.get(), PublicHoldingFactory(scic=scic), RepresentativeFactory(scic=scic)


def _change_requests(scic, record, holding, representative):
    return [
        (reverse("scic:update", args=[scic.pk]), {"actor": scic.actor.pk, "notes": "Changé"}),
        (
            reverse("scic:capital_update", args=[scic.pk, record.pk]),
            {"recorded_on": "2023-01-01", "amount": "1"},
        ),
        (reverse("scic:holding_update", args=[scic.pk, holding.pk]), _holding_data(holding, amount="1")),
        (
            reverse("scic:representative_update", args=[scic.pk, representative.pk]),
            {"person_name": "X", "body": Body.BOARD, "mandate_start_on": "2023-07-01"},
        ),
        (reverse("scic:mandate_end", args=[scic.pk, representative.pk]), {"mandate_end_on": "2024-01-01"}),
    ]


def _state(scic, record, holding, representative):
    return [
        Scic.objects.filter(pk=scic.pk).values().get(),
        CapitalRecord.objects.filter(pk=record.pk).values().get(),
        PublicHolding.objects.filter(pk=holding.pk).values().get(),
        Representative.objects.filter(pk=representative.pk).values().get(),
    ]


@pytest.mark.parametrize("role", [Role.ELECTED, Role.PARTNER, Role.APPLICANT, Role.PROCUREMENT])
def test_only_staff_may_correct_the_register_and_a_refusal_changes_nothing(client, user_with_role, role):
    records = _records()
    before = _state(*records)
    client.force_login(user_with_role(role))

    for url, data in _change_requests(*records):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url

    assert _state(*records) == before


def test_an_applicant_acting_for_the_scic_structure_is_refused_too(client, applicant_user):
    scic = ScicFactory(actor__members=[applicant_user], framework_deliberation_number="2023/001")
    client.force_login(applicant_user)

    response = client.post(
        reverse("scic:update", args=[scic.pk]), {"actor": scic.actor.pk, "framework_deliberation_number": "X"}
    )

    assert response.status_code == 403
    scic.refresh_from_db()
    assert scic.framework_deliberation_number == "2023/001"


def test_the_scic_page_shows_the_correction_links_to_staff_only(client, staff_user, elected_user):
    scic, record, holding, representative = _records()
    links = [url for url, _ in _change_requests(scic, record, holding, representative)]

    client.force_login(staff_user)
    page = client.get(reverse("scic:detail", args=[scic.pk]))
    for url in links:
        assertContains(page, url)

    client.force_login(elected_user)
    page = client.get(reverse("scic:detail", args=[scic.pk]))
    for url in links:
        assertNotContains(page, url)
