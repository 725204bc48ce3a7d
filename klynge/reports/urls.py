"""The reports' URLs: the status and final reports (status_urls), and the exports and the
excellence self-assessment (export_urls)."""

from klynge.reports import export_urls, status_urls

app_name = "reports"

urlpatterns = [*status_urls.urlpatterns, *export_urls.urlpatterns]
