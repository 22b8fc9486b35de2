import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funding import services
from funding.compliance import (
    add_months,
    check_de_minimis,
    de_minimis_window,
    is_convention_required,
    open_data_deadline,
    open_data_overdue,
)
from funding.enums import ApplicationStatus, StateAidRegime
from funding.models import Decision, DeclaredAid
from tests.actors.factories import ActorFactory
from tests.funding.factories import ApplicationFactory, BudgetLineFactory, CouncilSessionFactory, SupportSchemeFactory
from tests.funding.lifecycle import proposed_application

pytestmark = pytest.mark.django_db


def _granted(actor, amount, decided_on, regime=StateAidRegime.DE_MINIMIS):
    application = ApplicationFactory(
        actor=actor, scheme=SupportSchemeFactory(state_aid_regime=regime), status=ApplicationStatus.APPROVED
    )
    Decision.objects.create(
        application=application,
        council_session=CouncilSessionFactory(),
        deliberation_number="X",
        decided_on=decided_on,
        is_approved=True,
        granted_amount=amount,
    )


@pytest.mark.parametrize(
    ("regime", "ceiling"),
    [(StateAidRegime.DE_MINIMIS, Decimal("300000")), (StateAidRegime.SIEG_DE_MINIMIS, Decimal("750000"))],
)
def test_approval_beyond_the_de_minimis_ceiling_is_blocked_until_a_justification_is_recorded(
    regime, ceiling, staff_user
):
    actor = ActorFactory()
    line = BudgetLineFactory(voted_amount=Decimal("1000000"))
    scheme = SupportSchemeFactory(state_aid_regime=regime, budget_line=line, ceiling_amount=Decimal("50000"))
    application = proposed_application(by=staff_user, actor=actor, scheme=scheme, requested=Decimal("20000"))
    decided_on = application.council_session.sits_on
    # Our aids and a declared aid inside the 3 rolling years leave 10,000 € under the ceiling.
    _granted(actor, ceiling - Decimal("60000"), decided_on - datetime.timedelta(days=400), regime=regime)
    DeclaredAid.objects.create(
        application=application, funder="Région", amount=Decimal("50000"), granted_on=decided_on.replace(month=1)
    )
    # Outside the window: does not count.
    _granted(actor, Decimal("100000"), decided_on.replace(year=decided_on.year - 3))

    check = check_de_minimis(application=application, amount=Decimal("20000"), on=decided_on)
    assert check.ceiling == ceiling
    assert check.total_before == ceiling - Decimal("10000")
    assert check.is_blocking

    approve = {"amount": Decimal("20000"), "deliberation_number": "2030-1", "decided_on": decided_on}
    with pytest.raises(ValidationError) as error:
        services.approve_application(application=application, by=staff_user, **approve)
    assert "au-delà du plafond" in error.value.messages[0]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PROPOSED
    assert not Decision.objects.filter(application=application).exists()

    # 10,000 € still fit without any justification.
    assert not check_de_minimis(application=application, amount=Decimal("10000"), on=decided_on).exceeds

    services.record_de_minimis_justification(
        application=application, by=staff_user, justification="Aide antérieure remboursée (titre de recette 12)."
    )
    services.approve_application(application=application, by=staff_user, **approve)
    assert application.status == ApplicationStatus.APPROVED


def test_aids_of_schemes_outside_state_aid_do_not_count_and_have_no_ceiling():
    actor = ActorFactory()
    _granted(actor, Decimal("400000"), datetime.date(2030, 1, 1), regime=StateAidRegime.NOT_STATE_AID)
    application = ApplicationFactory(actor=actor, scheme=SupportSchemeFactory())
    check = check_de_minimis(application=application, amount=Decimal("1000"), on=datetime.date(2030, 6, 1))
    assert check.our_aids == Decimal("0")
    free = ApplicationFactory(
        actor=actor, scheme=SupportSchemeFactory(state_aid_regime=StateAidRegime.BLOCK_EXEMPTION)
    )
    assert check_de_minimis(application=free, amount=Decimal("10000000"), on=datetime.date(2030, 6, 1)).ceiling is None


def test_the_same_aid_declared_in_two_applications_counts_once():
    actor = ActorFactory()
    for _ in range(2):
        DeclaredAid.objects.create(
            application=ApplicationFactory(actor=actor),
            funder="Département",
            amount=Decimal("40000"),
            granted_on=datetime.date(2029, 5, 1),
        )
    application = ApplicationFactory(actor=actor, scheme=SupportSchemeFactory())
    assert check_de_minimis(
        application=application, amount=Decimal("1"), on=datetime.date(2030, 1, 1)
    ).declared_aids == (Decimal("40000"))


def test_the_window_is_three_rolling_years_ending_on_the_decision_date():
    assert de_minimis_window(datetime.date(2030, 6, 15)) == (datetime.date(2027, 6, 16), datetime.date(2030, 6, 15))
    assert de_minimis_window(datetime.date(2028, 2, 29))[0] == datetime.date(2025, 3, 1)


@pytest.mark.parametrize(
    ("amount", "required"),
    [(Decimal("23000.00"), False), (Decimal("23000.01"), True), (Decimal("500"), False), (None, False)],
)
def test_a_convention_is_required_above_23000_euros(amount, required):
    assert is_convention_required(amount) is required


def test_the_open_data_deadline_is_three_months_after_signature_and_overdue_ones_are_listed():
    assert add_months(datetime.date(2030, 11, 30), 3) == datetime.date(2031, 2, 28)
    signed = ApplicationFactory(agreement_signed_on=datetime.date(2030, 1, 10))
    assert open_data_deadline(signed) == datetime.date(2030, 4, 10)
    assert open_data_deadline(ApplicationFactory()) is None
    published = ApplicationFactory(
        agreement_signed_on=datetime.date(2030, 1, 10), open_data_published_on=datetime.date(2030, 2, 1)
    )
    recent = ApplicationFactory(agreement_signed_on=datetime.date(2030, 3, 1))

    overdue = list(open_data_overdue(today=datetime.date(2030, 4, 11)))

    assert overdue == [signed]
    assert published not in overdue and recent not in overdue
    assert list(open_data_overdue(today=datetime.date(2030, 4, 10))) == []


def test_staff_record_the_open_data_publication_and_overdue_ones_show_on_their_home_page(client, staff_user):
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    from funding.models import Application

    application = ApplicationFactory()
    Application.objects.filter(pk=application.pk).update(
        agreement_signed_on=timezone.localdate() - datetime.timedelta(days=120)
    )
    client.force_login(staff_user)
    home = client.get(reverse("staff_home")).content.decode()
    assert "Publications en données ouvertes en retard" in home and application.title in home
    response = client.post(
        reverse("funding:application_open_data_publication", args=[application.pk]),
        {"published_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.open_data_published_on == timezone.localdate()
    assert "Publications en données ouvertes en retard" not in client.get(reverse("staff_home")).content.decode()
