"""The import's pages, included inside the ecosystem namespace under imports/."""

from django.urls import path

from klynge.ecosystem import views_import

urlpatterns = [
    path("", views_import.import_start, name="import_start"),
    path("history/", views_import.import_list, name="import_list"),
    path("<int:pk>/", views_import.import_detail, name="import_detail"),
    path("<int:pk>/progress/", views_import.import_progress, name="import_progress"),
    path("<int:pk>/errors/", views_import.import_error_file, name="import_error_file"),
]
