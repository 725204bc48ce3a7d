"""Projects, EU applications and their outcomes."""

from django.urls import path

from klynge.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_create, name="project_create"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/delete/", views.project_delete, name="project_delete"),
    path("<int:pk>/partners/add/", views.partner_add, name="partner_add"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("partners/<int:pk>/remove/", views.partner_remove, name="partner_remove"),
    path("<int:pk>/outcomes/add/", views.outcome_record, name="outcome_record"),
    path("outcomes/<int:pk>/delete/", views.outcome_delete, name="outcome_delete"),
]
