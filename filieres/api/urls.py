from django.urls import path

from filieres.api import views

urlpatterns = [
    path("filieres/", views.FiliereList.as_view(), name="filiere_list"),
    path("filieres/<slug:slug>/", views.FiliereDetail.as_view(), name="filiere_detail"),
]
