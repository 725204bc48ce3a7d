"""The exports for the grant givers and the cluster-excellence self-assessment."""

from django.urls import path

from klynge.reports import views_excellence, views_exports

urlpatterns = [
    path("exports/effect/", views_exports.effect_export, name="effect_export"),
    path("exports/effect/download/", views_exports.effect_export_download,
         name="effect_export_download"),
    path("exports/survey-participants/", views_exports.survey_participants,
         name="survey_participants"),
    path("exports/survey-participants/download/", views_exports.survey_participants_download,
         name="survey_participants_download"),
    path("excellence/", views_excellence.excellence_page, name="excellence"),
    path("excellence/upload/", views_excellence.excellence_upload, name="excellence_upload"),
    path("excellence/documents/<int:pk>/", views_excellence.excellence_document_download,
         name="excellence_document"),
    path("excellence/documents/<int:pk>/delete/", views_excellence.excellence_document_delete,
         name="excellence_document_delete"),
    path("excellence/pdf/", views_excellence.excellence_pdf, name="excellence_pdf"),
    path("excellence/evidence-pack/", views_excellence.excellence_pack,
         name="excellence_pack"),
]
