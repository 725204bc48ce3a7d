"""The KPI pages and the management dashboard."""

app_name = "kpis"

urlpatterns = []
