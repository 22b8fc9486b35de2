from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from funding.models import (
    Application,
    ApplicationTransition,
    BudgetLine,
    BudgetLineRevision,
    CoFinancing,
    Commitment,
    CouncilSession,
    Decision,
    DeclaredAid,
    Document,
    FinancingLine,
    InformationRequest,
    InternalNote,
    Payment,
    SupportScheme,
)


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["label", "year", "section", "is_in_plan", "voted_amount", "committed_amount", "position"]
    list_filter = ["year", "section", "is_in_plan"]
    search_fields = ["label", "code"]
    ordering = ["year", "section", "-is_in_plan", "position"]
    readonly_fields = ["committed_amount", "projected_amount", "is_voted", "voted_by", "voted_at"]

    def get_readonly_fields(self, request, obj=None):
        # Once a line exists its amount changes only by a vote or a décision modificative (budget execution page),
        # which keeps the history and never goes below what is committed.
        if obj is not None:
            return [*self.readonly_fields, "voted_amount"]
        return self.readonly_fields


@admin.register(BudgetLineRevision)
class BudgetLineRevisionAdmin(admin.ModelAdmin):
    """Read-only history: votes and décisions modificatives are recorded from the budget execution page."""

    list_display = ["budget_line", "kind", "previous_amount", "amount", "deliberation_number", "recorded_at"]
    list_filter = ["kind", "budget_line__year"]
    list_select_related = ["budget_line"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SupportScheme)
class SupportSchemeAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "budget_line",
        "state_aid_regime",
        "opens_on",
        "closes_on",
        "ceiling_amount",
        "is_published",
    ]
    list_filter = ["is_published", "state_aid_regime", "budget_line__year"]
    search_fields = ["title", "description"]
    list_select_related = ["budget_line"]
    autocomplete_fields = ["budget_line", "filieres"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(CouncilSession)
class CouncilSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "sits_on"]
    date_hierarchy = "sits_on"
    search_fields = ["title"]


class TransitionInline(admin.TabularInline):
    model = ApplicationTransition
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "by", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class FinancingLineInline(admin.TabularInline):
    model = FinancingLine
    extra = 0
    autocomplete_fields = ["partner"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["title", "actor", "scheme", "requested_amount", "status", "instructor", "submitted_at"]
    list_filter = ["status", "scheme", "council_session"]
    search_fields = ["title", "actor__name", "actor__siret"]
    list_select_related = ["actor", "scheme", "instructor"]
    autocomplete_fields = ["actor", "scheme", "filiere", "segment", "plan_action", "instructor", "council_session"]
    filter_horizontal = ["communes"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "status"]
    inlines = [FinancingLineInline, TransitionInline]


@admin.register(ApplicationTransition)
class ApplicationTransitionAdmin(admin.ModelAdmin):
    list_display = ["application", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]
    search_fields = ["application__title", "comment"]
    list_select_related = ["application", "by"]
    readonly_fields = ["application", "from_status", "to_status", "by", "at", "comment"]


@admin.register(FinancingLine)
class FinancingLineAdmin(admin.ModelAdmin):
    list_display = ["application", "side", "label", "amount", "partner"]
    list_filter = ["side"]
    search_fields = ["label", "application__title"]
    list_select_related = ["application", "partner"]
    autocomplete_fields = ["application", "partner"]


@admin.register(DeclaredAid)
class DeclaredAidAdmin(admin.ModelAdmin):
    list_display = ["application", "funder", "amount", "granted_on", "regime"]
    list_filter = ["regime"]
    search_fields = ["funder", "application__title", "application__actor__name"]
    list_select_related = ["application"]
    autocomplete_fields = ["application"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "actor", "application", "valid_until", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["original_name", "actor__name", "application__title"]
    list_select_related = ["actor", "application"]
    autocomplete_fields = ["actor", "application"]
    readonly_fields = ["content_type", "size", "uploaded_at"]


@admin.register(InformationRequest)
class InformationRequestAdmin(admin.ModelAdmin):
    list_display = ["application", "requested_at", "answered_at"]
    search_fields = ["application__title", "message", "answer"]
    list_select_related = ["application"]
    autocomplete_fields = ["application"]


@admin.register(InternalNote)
class InternalNoteAdmin(admin.ModelAdmin):
    list_display = ["application", "author", "created_at"]
    search_fields = ["application__title", "text"]
    list_select_related = ["application", "author"]
    autocomplete_fields = ["application"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["application", "deliberation_number", "decided_on", "is_approved", "granted_amount"]
    list_filter = ["is_approved", "council_session"]
    search_fields = ["deliberation_number", "application__title", "application__actor__name"]
    list_select_related = ["application", "council_session"]
    autocomplete_fields = ["application", "council_session"]


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    """Read-only: commitments are created by the approval and spending services, which keep the line's total
    exact."""

    list_display = [
        "__str__",
        "kind",
        "budget_line",
        "amount",
        "paid_amount",
        "legal_commitment_number",
        "committed_at",
    ]
    list_filter = ["kind", "budget_line__year", "budget_line__section"]
    search_fields = [
        "legal_commitment_number",
        "label",
        "beneficiary_name",
        "beneficiary__name",
        "application__title",
        "application__actor__name",
    ]
    list_select_related = ["application", "budget_line"]
    readonly_fields = [
        "kind",
        "application",
        "budget_line",
        "beneficiary",
        "amount",
        "paid_amount",
        "idempotency_key",
        "committed_by",
    ]
    inlines = [PaymentInline]

    def has_add_permission(self, request):
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["commitment", "kind", "amount", "due_on", "paid_on", "payment_order_number"]
    list_filter = ["kind"]
    search_fields = ["payment_order_number", "commitment__application__title"]
    list_select_related = ["commitment__application"]
    readonly_fields = ["commitment", "kind", "amount", "recorded_by", "recorded_at", "idempotency_key"]

    def has_add_permission(self, request):
        return False


@admin.register(CoFinancing)
class CoFinancingAdmin(SimpleHistoryAdmin):
    list_display = ["application", "partner", "year", "pledged", "decided", "paid"]
    list_filter = ["partner", "year"]
    raw_id_fields = ["application", "updated_by"]
