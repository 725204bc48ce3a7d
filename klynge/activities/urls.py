from django.urls import include, path

app_name = "activities"
# Registration and attendance pages (staff) live in registration_urls, in this namespace.
urlpatterns: list = []

urlpatterns += [path("", include("klynge.activities.registration_urls"))]
