"""Accessibility, checked by axe-core in Chromium: on the demo data, the main pages of every role and the pages
holding their forms break none of the WCAG 2.1 A and AA rules axe can test (RGAA 4 builds on WCAG 2.1 AA).

axe finds about a third of the issues an audit does (contrast, names, labels, landmarks, ARIA…); the rest is the
manual audit's. A failure lists each rule broken, on which page and which element.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from accounts.enums import Role
from actors.models import Actor
from ess_portal.navigation import navigation_for
from fonciere import services
from fonciere.models import CommitteeProposal, CommitteeSitting, Lease, PremisesRequest, Property
from funding.models import Application, CoFinancing
from home.demo import load_demo
from procurement.asr.models import AsrListing, ConsultationList
from procurement.contracts.models import Contract
from procurement.enums import ListingStatus
from procurement.sourcing.models import SourcingRecipient, SourcingRequest
from programme.models import Action
from quadripartite.models import Meeting, partner_of
from scic.models import Scic, ShareMovement

pytestmark = pytest.mark.e2e

WCAG_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def pages_of_each_role(users) -> dict:
    """The navigation of each role, plus the detail and form pages its navigation leads to; a page several roles
    share is checked once, for the first of them."""
    application = Application.objects.order_by("pk").first()
    contract = Contract.objects.order_by("pk").first()
    hours = contract.lots.exclude(insertion_clause=None).first().insertion_clause.hours_reports.first()
    submitted = AsrListing.objects.filter(status=ListingStatus.SUBMITTED).first()
    own_listing = AsrListing.objects.filter(actor__memberships__user=users[Role.APPLICANT]).first()
    received = SourcingRecipient.objects.filter(listing=own_listing).first()
    action = Action.objects.order_by("code").first()
    # The demo's SCIC with capital, holdings, stakes and representatives, the first fund year (stakes in both demo
    # SCIC), a property let to two structures and the lease of the demo applicant's structure.
    scic = Scic.objects.order_by("pk").first()
    fund_year = ShareMovement.objects.subscriptions().order_by("moved_on").first().commitment.budget_line.year
    property = Property.objects.order_by("pk").first()
    own_lease = Lease.objects.filter(occupant__memberships__user=users[Role.APPLICANT]).first()
    own_need = PremisesRequest.objects.filter(actor__memberships__user=users[Role.APPLICANT]).first()
    sitting = CommitteeSitting.objects.order_by("-held_on").first()
    pending_proposal = CommitteeProposal.objects.filter(decision="pending").first()
    meeting = Meeting.objects.filter(decisions__isnull=False).first()
    partner = partner_of(users[Role.PARTNER])
    cofinanced = CoFinancing.objects.filter(partner=partner).first()
    unsigned_lease = Lease.objects.filter(signed_on=None).first()
    extra = {
        None: [
            reverse("accounts:login"),
            reverse("accounts:signup"),
            reverse("programme:action_detail", args=[Action.objects.order_by("code").last().code]),  # public version
        ],
        Role.STAFF: [
            reverse("funding:application_staff_detail", args=[application.pk]),
            reverse("procurement:review_detail", args=[submitted.pk]),
            reverse("actors:actor_detail", args=[application.actor_id]),
            reverse("programme:action_detail", args=[action.code]),
            reverse("scic:register"),
            reverse("scic:detail", args=[scic.pk]),
            reverse("scic:fund", args=[fund_year]),
            reverse("fonciere:property_list"),
            reverse("fonciere:property_detail", args=[property.pk]),
            reverse("fonciere:lease_detail", args=[own_lease.pk]),
            reverse("fonciere:lease_detail", args=[unsigned_lease.pk]),  # and its signature form
            reverse("fonciere:capitalisation_list"),
            reverse("scic:create"),
            reverse("scic:subscribe", args=[scic.pk]),
            reverse("fonciere:property_create"),
            reverse("fonciere:lease_create", args=[property.pk]),
            reverse("fonciere:premises_request_list"),
            reverse("fonciere:committee_sitting_list"),
            reverse("fonciere:committee_sitting_detail", args=[sitting.pk]),  # and its agenda form
            reverse("fonciere:committee_proposal_decide", args=[pending_proposal.pk]),
            reverse("quadripartite:meeting_detail", args=[meeting.pk]),
            reverse("quadripartite:meeting_create"),
            reverse("quadripartite:decision_list"),
        ],
        Role.PROCUREMENT: [
            reverse("procurement:directory") + "?cpv=90",
            reverse("procurement:export_log"),
            reverse("procurement:sourcing_create"),
            reverse("procurement:cpv_search") + "?q=nettoyage",
            reverse("procurement:verify_siret") + f"?siret={submitted.actor.siret}",
            reverse("procurement:contract_detail", args=[contract.pk]),
            reverse("procurement:hours_delete", args=[contract.pk, hours.pk]),
            reverse("procurement:consultation_detail", args=[ConsultationList.objects.get().pk]),
            reverse("procurement:sourcing_detail", args=[SourcingRequest.objects.order_by("pk").first().pk]),
        ],
        Role.APPLICANT: [
            reverse("procurement:my_listings"),
            reverse("procurement:listing_edit", args=[own_listing.actor_id]),
            reverse("procurement:sourcing_received_detail", args=[received.pk]),
            reverse("fonciere:my_leases"),
            reverse("fonciere:my_premises_request_create"),
            reverse("fonciere:premises_request_detail", args=[own_need.pk]),
        ],
        Role.PARTNER: [reverse("funding:cofinanced_project", args=[cofinanced.application_id])],
        Role.ELECTED: [reverse("programme:report_list"), reverse("programme:indicator_list")],
    }
    pages, seen = {}, set()
    for role, user in [(None, AnonymousUser()), *users.items()]:
        paths = [item["url"] for item in navigation_for(user, "/")] + extra.get(role, [])
        pages[role] = [path for path in dict.fromkeys(paths) if path not in seen]
        seen.update(pages[role])
    return pages


class AnonymousUser:
    is_authenticated = False


def test_the_pages_of_every_role_break_no_wcag_rule_axe_can_test(e2e_server, browser, transactional_db):
    from axe_playwright_python.sync_playwright import Axe

    users = load_demo()
    # The demo's leases are all signed: one to sign, for the form of the lease page.
    property = Property.objects.order_by("-pk").first()
    services.create_lease(
        property=property,
        occupant=Actor.objects.exclude(fonciere_leases__property=property).order_by("pk").first(),
        surface=Decimal("10"),
        starts_on=datetime.date(2027, 9, 1),
        ends_on=None,
        rent=Decimal("50"),
        market_rent=Decimal("100"),
        by=users[Role.STAFF],
    )
    axe = Axe()
    failures, checked = [], 0
    for role, paths in pages_of_each_role(users).items():
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        if role is not None:
            page.goto(f"{e2e_server.url}{reverse('accounts:login')}")
            page.fill("input[name=username]", users[role].email)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("main form button[type=submit]")
            page.wait_for_load_state("networkidle")
        for path in paths:
            response = page.goto(f"{e2e_server.url}{path}")
            assert response.status == 200, (role, path, response.status)
            page.wait_for_load_state("networkidle")
            for violation in axe.run(page, options=WCAG_RULES).response["violations"]:
                targets = [node["target"] for node in violation["nodes"][:3]]
                failures.append(f"{role or 'anonyme'} {path}: {violation['id']} – {violation['help']} {targets}")
            checked += 1
        context.close()
    assert checked >= 35
    assert not failures, "\n".join(failures)
