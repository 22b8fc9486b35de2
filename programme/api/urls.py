from django.urls import path

from programme.api import indicator_urls, report_urls, views

urlpatterns = [
    path("actions/", views.ActionList.as_view(), name="action_list"),
    path("actions/<str:code>/", views.ActionDetail.as_view(), name="action_detail"),
]

urlpatterns += indicator_urls.urlpatterns + report_urls.urlpatterns
