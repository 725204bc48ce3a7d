"""/members/: the public, searchable member directory (only what each organisation published)."""

from django.urls import path

from klynge.portal.views import directory

app_name = "directory"

urlpatterns = [
    path("", directory.directory_list, name="list"),
    path("<int:pk>/", directory.directory_detail, name="detail"),
]
