"""The KPI pages and the management dashboard."""

from django.urls import path

from klynge.kpis.views import dashboard, kpis, participants, targets

app_name = "kpis"

urlpatterns = [
    path("", kpis.kpi_list, name="kpi_list"),
    path("kpi/<int:number>/", kpis.kpi_detail, name="kpi_detail"),
    path("participants/", participants.participants, name="participants"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("snapshots/", kpis.snapshot_list, name="snapshot_list"),
    path("snapshots/freeze/", kpis.snapshot_freeze, name="snapshot_freeze"),
    path("targets/", targets.target_list, name="target_list"),
    path("targets/new/", targets.target_period_create, name="target_period_create"),
    path("targets/<int:pk>/edit/", targets.target_edit, name="target_edit"),
]
