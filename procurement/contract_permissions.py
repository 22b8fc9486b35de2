"""Who may do what with contracts holding insertion clauses.

- Staff of the ESS service, the procurement direction and administrators create and edit contracts, report hours
  on any contract, read the economic direction's follow-up page, export the PLIE reporting and use the API.
- The PLIE facilitator of a contract (any role, often an agent outside the Métropole) sees only the contracts they
  facilitate, reports hours on them and exports their PLIE reporting; they do not edit the contracts.
- Everyone else (elected officials, partners, applicants) has no access, unless set as a facilitator.
Object access is enforced by `Contract.objects.visible_to(user)`: a contract outside it is a 404.
"""

from accounts.enums import Role

MANAGER_ROLES = (Role.STAFF, Role.PROCUREMENT, Role.ADMIN)


def can_manage_contracts(user) -> bool:
    """Create and edit contracts, report hours on any of them, follow-up page, API."""
    return user.is_authenticated and any(user.has_role(role) for role in MANAGER_ROLES)


def can_view_contracts(user) -> bool:
    """The contract pages: managers, and the facilitators of at least one contract."""
    return can_manage_contracts(user) or (user.is_authenticated and user.facilitated_contracts.exists())


def can_report_hours(user, contract) -> bool:
    return can_manage_contracts(user) or (user.is_authenticated and contract.facilitator_id == user.pk)
