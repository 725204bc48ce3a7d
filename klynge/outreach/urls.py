from django.urls import path

from klynge.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.segment_list, name="segment_list"),
    path("segments/new/", views.segment_create, name="segment_create"),
    path("segments/<int:pk>/", views.segment_preview, name="segment_preview"),
    path("segments/<int:pk>/edit/", views.segment_edit, name="segment_edit"),
    path("segments/<int:pk>/delete/", views.segment_delete, name="segment_delete"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("activities/<int:activity_pk>/invite/", views.invitation_create,
         name="invitation_create"),
    path("invitations/<int:pk>/", views.invitation_detail, name="invitation_detail"),
    path("invitations/<int:pk>/edit/", views.invitation_edit, name="invitation_edit"),
    path("invitations/<int:pk>/send/", views.invitation_send, name="invitation_send"),
]
