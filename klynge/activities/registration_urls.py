"""Staff pages of registration and attendance, inside the "activities" namespace."""

from django.urls import path

from klynge.activities import views_registration as views

urlpatterns = [
    path("<int:pk>/registrations/", views.registration_list, name="registration_list"),
    path("<int:pk>/registrations/new/", views.registration_create, name="registration_create"),
    path("registrations/<int:rid>/role/", views.registration_role, name="registration_role"),
    path("registrations/<int:rid>/cancel/", views.registration_cancel,
         name="registration_cancel"),
    path("<int:pk>/registrations/questions/", views.registration_questions,
         name="registration_questions"),
    path("registrations/questions/<int:qid>/edit/", views.registration_question_edit,
         name="registration_question_edit"),
    path("registrations/questions/<int:qid>/delete/", views.registration_question_delete,
         name="registration_question_delete"),
    path("registrations/questions/<int:qid>/move/", views.registration_question_move,
         name="registration_question_move"),
    path("<int:pk>/checkin/", views.checkin, name="checkin"),
    path("<int:pk>/checkin/bulk/", views.checkin_bulk, name="checkin_bulk"),
    path("<int:pk>/checkin/no-shows/", views.checkin_no_shows, name="checkin_no_shows"),
    path("<int:pk>/checkin/walk-in/", views.checkin_walk_in, name="checkin_walk_in"),
    path("registrations/<int:rid>/checkin/", views.checkin_mark, name="checkin_mark"),
]
