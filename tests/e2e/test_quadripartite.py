"""The quadripartite space in a browser (issue 13): a partner user opens the space, reads the last meeting's minutes,
marks a decision of their collectivity done, and sees the co-financing table."""

import datetime
from decimal import Decimal

import pytest

from accounts.enums import Role
from funding.cofinancing_services import record_cofinancing
from quadripartite import services
from quadripartite.enums import CommitteeKind
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.e2e.test_scic_fonciere import log_in
from tests.funding.factories import ApplicationFactory
from tests.quadripartite.factories import PartnerMemberFactory, SignatoryFactory

pytestmark = pytest.mark.e2e


def test_a_partner_reads_the_minutes_marks_a_decision_done_and_sees_the_cofinancing(
    e2e_server, page, transactional_db
):
    base = e2e_server.url
    staff = UserFactory(role=Role.STAFF)
    region = SignatoryFactory(
        name="Région Nouvelle-Aquitaine", short_name="Région", slug="region-e2e", rotation_order=1
    )
    departement = SignatoryFactory(
        name="Département de la Gironde", short_name="Département", slug="dep-e2e", rotation_order=2
    )
    member = PartnerMemberFactory(partner=region, user__email="partenaire@region.example", user__role=Role.PARTNER)
    meeting = services.record_meeting(
        committee=CommitteeKind.STEERING,
        held_on=datetime.date.today() - datetime.timedelta(days=20),
        minutes="Les élus valident le tableau commun des cofinancements.",
        by=staff,
    )
    ours = services.add_decision(meeting=meeting, text="Diffuser le bilan du Forum régional", owner=region)
    services.add_decision(meeting=meeting, text="Charte commune du référencement", owner=departement)
    application = ApplicationFactory(title="Ressourcerie de Cenon")
    record_cofinancing(
        application=application,
        partner=region,
        year=2026,
        pledged=Decimal("12000"),
        decided=Decimal("10000"),
        by=staff,
    )

    log_in(page, base, member.user.email, DEFAULT_PASSWORD)
    page.goto(f"{base}/quadripartite/")
    page.get_by_role("link", name=str(meeting)).first.click()
    page.wait_for_load_state()
    assert "Les élus valident le tableau commun des cofinancements." in page.locator("main").inner_text()
    # Only the Région's decision can be marked done by a Région user.
    buttons = page.get_by_role("button", name="Marquer réalisée")
    assert buttons.count() == 1
    buttons.first.click()
    page.wait_for_load_state()
    assert "Décision marquée réalisée." in page.locator("main").inner_text()
    ours.refresh_from_db()
    assert ours.done_on == datetime.date.today()

    page.get_by_role("link", name="Cofinancements").first.click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Ressourcerie de Cenon" in text
    assert "10 000,00" in text.replace("\u202f", " ").replace("\xa0", " ")
