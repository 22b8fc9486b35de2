from django.contrib import admin

from ess_portal.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "progress", "attempts", "requested_by", "created_at", "finished_at"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["id", "idempotency_key", "requested_by__email", "error_message"]
    list_select_related = ["requested_by"]
    raw_id_fields = ["requested_by"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "dispatched_at", "started_at", "heartbeat_at", "finished_at"]
    fieldsets = [
        (None, {"fields": ["kind", "parameters", "idempotency_key", "requested_by"]}),
        ("Exécution", {"fields": ["status", "progress", "progress_message", "attempts", "max_attempts"]}),
        ("Résultat", {"fields": ["result_file", "error_message", "error_details"]}),
        ("Dates", {"fields": ["created_at", "dispatched_at", "started_at", "heartbeat_at", "finished_at"]}),
    ]
