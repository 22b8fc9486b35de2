from django.contrib import admin

from programme.models import Action, ActionSheet, Axis


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
    fields = ["code", "title", "parent", "position"]
    raw_id_fields = ["parent"]
    show_change_link = True


@admin.register(ActionSheet)
class ActionSheetAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "axis"]
    search_fields = ["title"]
    list_select_related = ["axis"]
    inlines = [ActionInline]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "sheet", "parent"]
    list_filter = ["sheet"]
    search_fields = ["code", "title", "objectives"]
    list_select_related = ["sheet", "parent"]
    autocomplete_fields = ["sheet", "parent"]
