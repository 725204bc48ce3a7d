"""The reports index and the status report (included by klynge/reports/urls.py)."""

from django.urls import path

from klynge.reports import views_status

urlpatterns = [
    path("", views_status.index, name="index"),
    path("status/", views_status.status, name="status"),
    path("status/download/", views_status.status_download, name="status_download"),
    path("status/frozen/<int:pk>/", views_status.frozen_download, name="frozen_download"),
]
