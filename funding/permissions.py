"""Who may do what with grants. Object access itself is enforced in querysets (`Application.objects.…`)."""

from accounts.enums import Role


def _has_any_role(user, *roles) -> bool:
    return user.is_authenticated and any(user.has_role(role) for role in roles)


def can_instruct(user) -> bool:
    """The ESS service (and admins) instruct applications, propose them, record decisions and payments."""
    return _has_any_role(user, Role.STAFF, Role.ADMIN)


def can_view_instruction(user) -> bool:
    """Staff pages of applications, council sessions and budget: staff act, elected officials read."""
    return _has_any_role(user, Role.STAFF, Role.ADMIN, Role.ELECTED)


def can_manage_sessions(user) -> bool:
    """Create council sessions and record their bulk decision."""
    return can_instruct(user)


def can_view_budget(user) -> bool:
    """The budget execution page: staff and admins, elected officials read-only."""
    return can_view_instruction(user)


def can_commit_spending(user) -> bool:
    """Commit a spending that is not a grant (SCIC shares, foncière capital, membership, study) and record its
    payments: the ESS service and admins."""
    return can_instruct(user)


def can_record_budget_vote(user) -> bool:
    """Record the vote of a budget line or a décision modificative: the ESS service and admins."""
    return can_instruct(user)


def can_view_spending(user) -> bool:
    """The spending commitments and their payments: staff and admins, elected officials read-only."""
    return can_view_budget(user)


def can_act_for_application(user, application) -> bool:
    """Members of the applying structure (submit, answer requests, upload the final report, withdraw)."""
    return user.is_authenticated and application.actor.memberships.filter(user=user, is_active=True).exists()


def can_withdraw_application(user, application) -> bool:
    """The applicant's members or staff, until the council decides."""
    from funding.workflow import WITHDRAWABLE

    if application.status not in WITHDRAWABLE:
        return False
    return can_instruct(user) or can_act_for_application(user, application)


def can_read_cofinancing(user) -> bool:
    """The partners' co-financing table: staff and elected officials read every row, partners their own."""
    return _has_any_role(user, Role.STAFF, Role.ADMIN, Role.ELECTED, Role.PARTNER)
