from django.contrib.auth.decorators import login_not_required
from django.urls import path

from funding.api import views

urlpatterns = [
    path("lignes-budgetaires/", views.BudgetLineList.as_view(), name="budgetline_list"),
    path("lignes-budgetaires/<int:pk>/", views.BudgetLineDetail.as_view(), name="budgetline_detail"),
    path("execution-budgetaire/", views.BudgetExecutionList.as_view(), name="budget_execution"),
    path("cofinancements/", views.CoFinancingList.as_view(), name="cofinancing_list"),
    # Public: the published support schemes.
    path("dispositifs/", login_not_required(views.SupportSchemeList.as_view()), name="scheme_list"),
    path("dispositifs/<slug:slug>/", login_not_required(views.SupportSchemeDetail.as_view()), name="scheme_detail"),
    path("demandes/", views.ApplicationList.as_view(), name="application_list"),
    path("demandes/<int:pk>/", views.ApplicationDetail.as_view(), name="application_detail"),
    path("decisions/", views.DecisionList.as_view(), name="decision_list"),
    path("decisions/<int:pk>/", views.DecisionDetail.as_view(), name="decision_detail"),
]
