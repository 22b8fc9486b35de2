from django.urls import path

from actors.api import views

urlpatterns = [
    path("communes/", views.CommuneList.as_view(), name="commune_list"),
    path("communes/<str:insee_code>/", views.CommuneDetail.as_view(), name="commune_detail"),
]
