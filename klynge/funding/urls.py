from django.urls import path

from klynge.funding import views

app_name = "funding"
urlpatterns = [
    path("", views.grant_list, name="grant_list"),
    path("plotly.js", views.plotly_js, name="plotly_js"),
    path("grants/<int:pk>/", views.grant_detail, name="grant_detail"),
    path("grants/<int:pk>/<int:year>/", views.grant_year, name="grant_year"),
    path("grants/<int:pk>/<int:year>/plan/", views.action_plan, name="action_plan"),
    path("grants/<int:pk>/<int:year>/plan/new/", views.action_plan_create,
         name="action_plan_create"),
    path("grants/<int:pk>/<int:year>/plan/budget-lines/new/", views.budget_line_create,
         name="budget_line_create"),
    path("grants/<int:pk>/<int:year>/plan/activities/new/", views.planned_activity_create,
         name="planned_activity_create"),
    path("grants/<int:pk>/time/", views.time_list, name="time_list"),
    path("grants/<int:pk>/time/new/", views.time_create, name="time_create"),
    path("grants/<int:pk>/costs/", views.cost_list, name="cost_list"),
    path("grants/<int:pk>/costs/new/", views.cost_create, name="cost_create"),
]
