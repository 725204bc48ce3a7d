from klynge.brokerage.views import agenda, day, events, meetings, participants, portal, schedule

app_name = "brokerage"

urlpatterns = [
    *events.urlpatterns,
    *participants.urlpatterns,
    *meetings.urlpatterns,
    *schedule.urlpatterns,
    *day.urlpatterns,
    *portal.urlpatterns,
    *agenda.urlpatterns,
]
