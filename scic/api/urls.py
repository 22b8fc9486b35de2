from django.urls import path

from scic.api import views

urlpatterns = [
    path("scic/", views.ScicList.as_view(), name="scic_list"),
    path("scic/mouvements/", views.ShareMovementList.as_view(), name="scic_movement_list"),
    path("scic/<int:pk>/", views.ScicDetail.as_view(), name="scic_detail"),
]
