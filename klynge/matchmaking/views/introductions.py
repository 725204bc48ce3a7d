"""Pages of matchmaking (being built)."""

urlpatterns: list = []
