from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts.models import Membership, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class UserAdminChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["actor"]
    fields = ["actor", "position", "is_active", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, for users identified by their e-mail (no username)."""

    form = UserAdminChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role_list", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "first_name", "last_name", "organisation"]
    readonly_fields = ["last_login", "date_joined", "email_confirmed_at"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name", "organisation"]}),
        (
            "Rôles et droits",
            {
                "fields": ["is_active", "groups", "is_staff", "is_superuser", "user_permissions"],
                "description": "Les rôles sont les groupes ; leurs permissions sont fixées dans accounts/roles.py.",
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined", "email_confirmed_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "usable_password", "password1", "password2"],
            },
        ),
    ]

    def get_inlines(self, request, obj):
        # Structures are attached once the account exists.
        return self.inlines if obj else []

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="nom", ordering="last_name")
    def full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description="rôles")
    def role_list(self, obj):
        return ", ".join(sorted(group.name for group in obj.groups.all()))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "actor", "position", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["user__email", "user__last_name", "actor__name"]
    list_select_related = ["user", "actor"]
    raw_id_fields = ["user", "actor"]
    readonly_fields = ["created_at"]
