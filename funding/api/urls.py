from django.urls import path

from funding.api import views

urlpatterns = [
    path("lignes-budgetaires/", views.BudgetLineList.as_view(), name="budgetline_list"),
    path("lignes-budgetaires/<int:pk>/", views.BudgetLineDetail.as_view(), name="budgetline_detail"),
]
