from django.urls import path

from klynge.evaluations import public_views

app_name = "surveys"
urlpatterns = [
    path("<str:token>/", public_views.answer, name="answer"),
]
