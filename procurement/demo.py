"""The procurement demo data, in the order `load_demo` needs: contracts, ASR listings, sourcing, share of spend."""

from accounts.enums import Role
from procurement.asr.demo import load_listings_demo
from procurement.contracts.demo import load_contracts_demo
from procurement.sourcing.demo import load_sourcing_demo
from procurement.spend.demo import load_spend_demo


def load_procurement_demo(*, actors, users) -> None:
    """`users` maps each role to its demo account."""
    load_contracts_demo(procurement=users[Role.PROCUREMENT], staff=users[Role.STAFF], partner=users[Role.PARTNER])
    load_listings_demo(actors=actors, buyer=users[Role.PROCUREMENT], colleague=users[Role.STAFF])
    load_sourcing_demo(actors=actors, buyer=users[Role.PROCUREMENT], applicant=users[Role.APPLICANT])
    load_spend_demo(by=users[Role.PROCUREMENT])
