from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views, views_structures

app_name = "accounts"

# Django's auth views (login, password reset) are already marked `login_not_required`.
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoyee/", views.signup_done, name="signup_done"),
    path("confirmation/nouveau-lien/", views.resend_confirmation, name="resend_confirmation"),
    path("confirmation/<str:token>/", views.confirm_email, name="confirm_email"),
    path("profil/", views.profile, name="profile"),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("mot-de-passe/modifier/", views.PasswordChangeView.as_view(), name="password_change"),
    # Self-service of applicants and the staff review of claims (accounts/views_structures.py)
    path("structures/nouvelle/", views_structures.structure_create, name="structure_create"),
    path("structures/rattacher/", views_structures.claim_search, name="claim_search"),
    path("structures/rattacher/<int:pk>/", views_structures.claim_create, name="claim_create"),
    path("structures/<int:pk>/modifier/", views_structures.structure_update, name="structure_update"),
    path("rattachements/", views_structures.claim_list, name="claim_list"),
    path("rattachements/<int:pk>/", views_structures.claim_review, name="claim_review"),
]
