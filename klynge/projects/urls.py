"""Projects, EU applications and their outcomes."""

app_name = "projects"

urlpatterns = []
