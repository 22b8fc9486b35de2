from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from programme.models import (
    Action,
    ActionSheet,
    Axis,
    Indicator,
    IndicatorReport,
    IndicatorTarget,
    Measurement,
    Milestone,
    Realisation,
)


class ActionSheetInline(admin.StackedInline):
    model = ActionSheet
    extra = 0
    fields = ["number", "title"]


@admin.register(Axis)
class AxisAdmin(admin.ModelAdmin):
    list_display = ["number", "title"]
    search_fields = ["title"]
    inlines = [ActionSheetInline]


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    fields = ["code", "title", "parent", "position", "weight"]
    raw_id_fields = ["parent"]
    show_change_link = True


@admin.register(ActionSheet)
class ActionSheetAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "axis"]
    search_fields = ["title"]
    list_select_related = ["axis"]
    inlines = [ActionInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "due_on", "done_on"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "sheet", "parent", "status", "progress", "responsible_service"]
    list_filter = ["sheet", "status"]
    search_fields = ["code", "title", "objectives"]
    list_select_related = ["sheet", "parent"]
    autocomplete_fields = ["sheet", "parent"]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "action", "due_on", "done_on"]
    list_filter = ["action__sheet"]
    search_fields = ["title", "action__code"]
    list_select_related = ["action"]
    autocomplete_fields = ["action"]
    date_hierarchy = "due_on"


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "unit", "computation", "action", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["action"]
    autocomplete_fields = ["action"]
    inlines = [IndicatorTargetInline]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "year", "value"]
    list_filter = ["year"]
    list_select_related = ["indicator"]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "year", "breakdown", "value", "source", "measured_on"]
    list_filter = ["year", "source"]
    search_fields = ["indicator__name", "breakdown"]
    list_select_related = ["indicator"]
    raw_id_fields = ["indicator", "entered_by"]


@admin.register(IndicatorReport)
class IndicatorReportAdmin(admin.ModelAdmin):
    list_display = ["title", "period_kind", "starts_on", "ends_on", "generated_at", "emailed_at"]
    list_filter = ["period_kind"]
    raw_id_fields = ["job", "requested_by"]


@admin.register(Realisation)
class RealisationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "happened_on", "action"]
    list_filter = ["kind"]
    search_fields = ["title", "action__code"]
    list_select_related = ["action"]
    autocomplete_fields = ["action"]
