from django.urls import path

from klynge.privacy import views, views_privacy, views_retention

app_name = "privacy"
urlpatterns = [
    path("", views_privacy.overview, name="overview"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("people/<int:pk>/", views_privacy.person_privacy, name="person_privacy"),
    path("people/<int:pk>/consents/", views.person_consents, name="person_consents"),
    path("people/<int:pk>/export/", views_privacy.person_export, name="person_export"),
    path("people/<int:pk>/erase/", views_privacy.person_erase_view, name="person_erase"),
    path("retention/", views_retention.rule_list, name="retention_rules"),
    path("retention/<int:pk>/", views_retention.rule_edit, name="retention_rule_edit"),
    path("retention/<int:pk>/dry-run/", views_retention.dry_run, name="retention_dry_run"),
    path("retention/<int:pk>/apply/", views_retention.rule_apply, name="retention_apply"),
]
