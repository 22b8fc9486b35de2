"""Views: see actors/urls.py."""
