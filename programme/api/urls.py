from django.urls import path

from programme.api import views

urlpatterns = [
    path("actions/", views.ActionList.as_view(), name="action_list"),
    path("actions/<str:code>/", views.ActionDetail.as_view(), name="action_detail"),
]
