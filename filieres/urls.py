from django.urls import path

from filieres import views

app_name = "filieres"

urlpatterns = [
    path("", views.filiere_list, name="filiere_list"),
    path("<slug:slug>/", views.filiere_detail, name="filiere_detail"),
]
