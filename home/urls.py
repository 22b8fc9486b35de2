from django.urls import path

from home import views

urlpatterns = [
    path("", views.home, name="home"),
    path("espace/agent/", views.staff_home, name="staff_home"),
    path("espace/porteur/", views.applicant_home, name="applicant_home"),
    path("espace/elu/", views.elected_home, name="elected_home"),
    path("espace/achats/", views.procurement_home, name="procurement_home"),
    path("espace/partenaire/", views.partner_home, name="partner_home"),
    path("espace/administration/", views.admin_home, name="admin_home"),
]
