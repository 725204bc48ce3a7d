"""/portal/: the member portal (signed-in people of member organisations), and the staff's
invitation pages. The public member directory is in directory_urls.py (/members/)."""

from django.urls import path

from klynge.portal.views import account, activities, evaluations, home, partners, profile

app_name = "portal"

urlpatterns = [
    # H4: invitations, account, home, profiles, history, consents, own data
    path("", home.home, name="home"),
    path("invitations/", account.invitation_list, name="invitation_list"),
    path("invitations/new/", account.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/resend/", account.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", account.invitation_revoke, name="invitation_revoke"),
    path("join/<str:token>/", account.invitation_accept, name="invitation_accept"),
    path("organisation/", profile.organisation_edit, name="organisation"),
    path("profile/", profile.person_edit, name="profile"),
    path("history/", home.history, name="history"),
    path("consents/", profile.consents, name="consents"),
    path("data/", profile.data_download, name="data"),
    # H5: partners, introductions, activities, evaluations
    path("partners/", partners.partner_list, name="partners"),
    path("partners/<int:organisation>/introduction/", partners.introduction_request,
         name="introduction_request"),
    path("activities/", activities.activity_list, name="activities"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity"),
    path("activities/<int:pk>/sign-up/", activities.activity_signup, name="activity_signup"),
    path("activities/<int:pk>/sign-ups/<int:registration>/cancel/", activities.activity_cancel,
         name="activity_cancel"),
    path("evaluations/", evaluations.evaluation_list, name="evaluations"),
]
