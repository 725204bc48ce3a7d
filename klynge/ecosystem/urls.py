from django.urls import include, path

from klynge.ecosystem.views import interactions, memberships, organisations, people

app_name = "ecosystem"
urlpatterns = [
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/new/", organisations.organisation_create, name="organisation_create"),
    path("organisations/lookup/", organisations.organisation_lookup, name="organisation_lookup"),
    path(
        "organisations/duplicates/", organisations.organisation_duplicates_check,
        name="organisation_duplicates_check",
    ),
    path("organisations/<int:pk>/", organisations.organisation_detail,
         name="organisation_detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit,
         name="organisation_edit"),
    path("organisations/<int:pk>/merge/", organisations.organisation_merge,
         name="organisation_merge"),
    path("organisations/<int:pk>/interactions/new/", interactions.interaction_create,
         name="interaction_create"),
    path("organisations/<int:pk>/memberships/new/", memberships.membership_create,
         name="membership_create"),
    path("people/", people.person_list, name="person_list"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/merge/", people.person_merge, name="person_merge"),
    path("people/<int:pk>/affiliations/new/", people.affiliation_add, name="affiliation_add"),
    path("affiliations/<int:pk>/end/", people.affiliation_end, name="affiliation_end"),
    path("interactions/", interactions.interaction_list, name="interaction_list"),
    path("interactions/<int:pk>/edit/", interactions.interaction_edit, name="interaction_edit"),
    path("follow-ups/", interactions.my_followups, name="my_followups"),
    path("interactions/<int:pk>/follow-up-done/", interactions.followup_done,
         name="followup_done"),
    path("memberships/", memberships.membership_list, name="membership_list"),
    path("memberships/<int:pk>/edit/", memberships.membership_edit, name="membership_edit"),
    path("memberships/<int:pk>/renew/", memberships.membership_renew, name="membership_renew"),
    path("renewals/", memberships.renewals, name="renewals"),
    path("imports/", include("klynge.ecosystem.import_urls")),
]
