"""URL patterns added to the programme namespace by programme/urls.py."""

urlpatterns = []
