"""The close-out forms, worded as in the handbook's Appendices VII, VIII and IX.

One registry serves the online forms, the pages that show the answers and the report.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FEEDBACK_MAX = 3000
TEXT_MAX = 3000

# --- Appendix VII: Mentoring Feedback Form ----------------------------------------------

FEEDBACK_TITLE = _("Mentoring Feedback Form")
FEEDBACK_INSTRUCTIONS = _(
    "Mentor and mentee, during your final session together, please take some time to "
    "evaluate what worked well and what you would change in the future. Please also assess "
    "what is next for your relationship and for the mentee’s movement toward the goals you "
    "have worked with during the relationship."
)
FEEDBACK_ASSESS = _("Assess the mentoring relationship and progress toward goals.")
WHATS_NEXT_INTRO = _(
    "Spend some time discussing what each of you would like to see in the next phase of "
    "your partnership. Possibilities include:"
)


def partner_prompts(*, by_mentor: bool) -> tuple[Promise, Promise, Promise]:
    """The heading and the two prompts addressed to the partner, by the author's side."""
    if by_mentor:
        return (
            _("Feedback for my mentee:"),
            _("Here’s what I saw in terms of your growth and movement toward your goals…"),
            _("Here are my hopes/wishes for you as you go forward …"),
        )
    return (
        _("Feedback for my mentor:"),
        _("I felt you were most effective when…"),
        _("I feel you could be even more effective if…"),
    )


# --- Appendices VIII and IX: Program Evaluation Forms -----------------------------------

EVALUATION_TITLES = {
    "mentee": _("Mentees’ Program Evaluation Form"),
    "mentor": _("Mentors’ Program Evaluation Form"),
}
CONFIDENTIAL_NOTE = _(
    "Your confidential feedback will be used to help improve the mentoring program for "
    "future participants."
)
HELPFULNESS_QUESTION = {
    "mentee": _("How helpful did you find the mentoring program?"),
    "mentor": _(
        "How helpful do you think the mentoring program is for developing future union leaders?"
    ),
}
SCALE_NOTE = _("(1=extremely helpful and 5=not helpful at all)")
HELPFULNESS_CHOICES = [
    (1, _("1 – extremely helpful")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 – not helpful at all")),
]
USEFUL_QUESTION = {
    "mentee": _(
        "Which aspects of the program did you find most useful? Which aspects did you find "
        "least useful?"
    ),
    "mentor": _(
        "What forms of support did the program provide that were especially useful to you as "
        "a mentor? Are there additional supports for mentors that you believe should be offered?"
    ),
}
RECOMMEND_QUESTION = _("Would you recommend the mentoring program to others?")
EFFECTS_QUESTION = _("Do you feel that the program has:")
MENTEE_EFFECTS = (
    ("skills", _("Helped you learn new skills?")),
    ("networks", _("Connected you to important professional networks?")),
    ("confidence", _("Helped you feel more confident in your professional roles?")),
    ("leadership", _("Increased your interest in taking on new leadership positions?")),
    ("performance", _("Improved your job performance overall?")),
)
MENTOR_EFFECTS = (
    ("collaboration", _("Helped to create a more collaborative work environment?")),
    ("new_leaders", _("Developed new leaders who can serve the union in various ways?")),
    ("diversity", _("Helped to diversify the leadership?")),
    ("growth", _("Facilitated your own personal growth as a mentor or supervisor?")),
)
MENTOR_AGAIN_QUESTION = _("Would you be interested in serving as a mentor again?")
SUGGESTIONS_QUESTION = _("What suggestions do you have for improving the program?")


def effects_for(role: str) -> tuple[tuple[str, Promise], ...]:
    return MENTOR_EFFECTS if role == "mentor" else MENTEE_EFFECTS
