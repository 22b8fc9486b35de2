"""URL patterns added to the procurement namespace by procurement/urls.py."""

urlpatterns = []
