from django.urls import path

from klynge.evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("<int:pk>/", views.survey_detail, name="survey_detail"),
    path("<int:pk>/remind/", views.survey_remind, name="survey_remind"),
    path("annual/new/", views.annual_create, name="annual_create"),
    path("activity/<int:pk>/", views.activity_evaluation, name="activity_evaluation"),
    path("activity/<int:pk>/questions/add/", views.question_add, name="question_add"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
]
