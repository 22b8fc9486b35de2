"""API URL patterns added by the app's api/urls.py."""

urlpatterns = []
