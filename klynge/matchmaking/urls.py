from klynge.matchmaking.views import calls, consortia, cordis, introductions, suggestions

app_name = "matchmaking"

urlpatterns = [
    *suggestions.urlpatterns,
    *calls.urlpatterns,
    *cordis.urlpatterns,
    *consortia.urlpatterns,
    *introductions.urlpatterns,
]
