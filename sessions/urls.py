from django.urls import path

from . import views

app_name = "sessions"

PAIR = "programs/<slug:slug>/pairs/<int:match_id>/"
MEETING = PAIR + "meetings/<int:meeting_id>/"

urlpatterns = [
    # The orientation (Appendix III) and group sessions of a program.
    path("programs/<slug:slug>/orientation/", views.orientation, name="orientation"),
    path("programs/<slug:slug>/orientation/edit/", views.orientation_edit, name="orientation_edit"),
    path(
        "programs/<slug:slug>/orientation/attendance/",
        views.orientation_attendance,
        name="orientation_attendance",
    ),
    path(
        "programs/<slug:slug>/orientation/orientation.ics",
        views.orientation_ics,
        name="orientation_ics",
    ),
    path("programs/<slug:slug>/group-sessions/", views.group_sessions, name="group_sessions"),
    path(
        "programs/<slug:slug>/group-sessions/new/",
        views.group_session_create,
        name="group_session_create",
    ),
    path(
        "programs/<slug:slug>/group-sessions/<int:pk>/",
        views.group_session,
        name="group_session",
    ),
    path(
        "programs/<slug:slug>/group-sessions/<int:pk>/edit/",
        views.group_session_edit,
        name="group_session_edit",
    ),
    path(
        "programs/<slug:slug>/group-sessions/<int:pk>/cancel/",
        views.group_session_cancel,
        name="group_session_cancel",
    ),
    path(
        "programs/<slug:slug>/group-sessions/<int:pk>/attendance/",
        views.group_session_attendance,
        name="group_session_attendance",
    ),
    path(
        "programs/<slug:slug>/group-sessions/<int:pk>/session.ics",
        views.group_session_ics,
        name="group_session_ics",
    ),
    # Pairs: the coordinator's list, a member's way in, and each pair's records.
    path("programs/<slug:slug>/pairs/", views.pairs, name="pairs"),
    path("programs/<slug:slug>/my-mentoring/", views.mine, name="mine"),
    path(PAIR, views.timeline, name="timeline"),
    path(PAIR + "worksheet/", views.worksheet, name="worksheet"),
    path(PAIR + "worksheet.pdf", views.worksheet_pdf, name="worksheet_pdf"),
    path(PAIR + "worksheet/edit/", views.worksheet_edit, name="worksheet_edit"),
    path(PAIR + "worksheet/agree/", views.worksheet_agree, name="worksheet_agree"),
    path(PAIR + "goals/", views.goals, name="goals"),
    path(PAIR + "goals/<int:goal_id>/", views.goal_update, name="goal_update"),
    path(PAIR + "actions/<int:action_id>/", views.action_status, name="action_status"),
    path(PAIR + "meetings/new/", views.meeting_create, name="meeting_create"),
    # How is the match going? Each side answers privately (the partner never sees it).
    path(PAIR + "fit-check/<slug:stage>/", views.fit_check, name="fit_check"),
    path(MEETING, views.meeting, name="meeting"),
    path(MEETING + "reschedule/", views.meeting_reschedule, name="meeting_reschedule"),
    path(MEETING + "cancel/", views.meeting_cancel, name="meeting_cancel"),
    path(MEETING + "preparation/", views.meeting_preparation, name="meeting_preparation"),
    path(MEETING + "record/", views.meeting_record, name="meeting_record"),
    path(MEETING + "record.pdf", views.meeting_record_pdf, name="meeting_record_pdf"),
    path(
        MEETING + "preparation.pdf", views.meeting_preparation_pdf, name="meeting_preparation_pdf"
    ),
    path(MEETING + "meeting.ics", views.meeting_ics, name="meeting_ics"),
    # The member's calendar feed: a secret address, made, remade or turned off here.
    path("me/calendar/", views.calendar, name="calendar"),
    path("me/calendar/new-address/", views.calendar_regenerate, name="calendar_regenerate"),
    path("me/calendar/turn-off/", views.calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]


# Pages of the matching namespace that need sessions (joined in mentorship/urls.py).
matching_patterns = [
    path("programs/<slug:slug>/matches/<int:pk>/end/", views.end_match, name="end"),
]
