"""The public sign-up pages, mounted at /events/ (no login)."""

from django.urls import path

from klynge.activities import views_public

app_name = "public_activities"
urlpatterns = [
    path("<int:pk>/", views_public.signup, name="signup"),
    path("<int:pk>/registered/", views_public.signup_done, name="signup_done"),
    path("cancel/<str:token>/", views_public.cancel, name="cancel"),
]
