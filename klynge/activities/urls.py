from django.urls import include, path

from klynge.activities.views import activities, calendar, networks

app_name = "activities"
urlpatterns = [
    path("", activities.activity_list, name="activity_list"),
    path("new/", activities.activity_create, name="activity_create"),
    path("<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("<int:pk>/status/", activities.activity_set_status, name="activity_set_status"),
    path("<int:pk>/held/", activities.activity_mark_held, name="activity_mark_held"),
    path("<int:pk>/cancel/", activities.activity_cancel, name="activity_cancel"),
    path("<int:pk>/co-organisers/add/", activities.co_organiser_add, name="co_organiser_add"),
    path("<int:pk>/co-organisers/<int:organisation_pk>/remove/", activities.co_organiser_remove,
         name="co_organiser_remove"),
    path("<int:pk>/ical/", calendar.activity_ical, name="activity_ical"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("feed.ics", calendar.public_feed, name="public_feed"),
    path("portal-export/", calendar.portal_export, name="portal_export"),
    path("networks/", networks.focus_network_list, name="focus_network_list"),
    path("networks/new/", networks.focus_network_create, name="focus_network_create"),
    path("networks/<int:pk>/", networks.focus_network_detail, name="focus_network_detail"),
    path("networks/<int:pk>/edit/", networks.focus_network_edit, name="focus_network_edit"),
    path("networks/<int:pk>/members/add/", networks.focus_network_member_add,
         name="focus_network_member_add"),
    path("networks/<int:pk>/members/<int:person_pk>/remove/",
         networks.focus_network_member_remove, name="focus_network_member_remove"),
]

# Registration and attendance pages (staff) live in registration_urls, in this namespace.
urlpatterns += [path("", include("klynge.activities.registration_urls"))]
