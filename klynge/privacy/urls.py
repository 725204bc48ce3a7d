from django.urls import path

from klynge.privacy import views

app_name = "privacy"
urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("people/<int:pk>/consents/", views.person_consents, name="person_consents"),
]
