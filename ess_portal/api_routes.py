"""Each app adds its read-only endpoints here (its views live in `<app>/api/`)."""

urlpatterns = []
