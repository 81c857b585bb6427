"""The survey questions, worded as in the handbook's Appendix I (mentee) and II (mentor).

One registry serves the online form, the survey page and the printed PDF. The
general and personal block of both appendices (name, phone, e-mail, gender, date
of birth, race/ethnicity, languages, local union, role in the union) lives on the
member's profile, so it is asked once and kept current.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ANSWER_MAX = 3000


@dataclass(frozen=True)
class Question:
    key: str
    text: Promise
    required: bool = True
    max_length: int = ANSWER_MAX


MENTEE_QUESTIONS = (
    Question(
        "expectations",
        _(
            "What expectations do you have for the mentoring program? "
            "What are your goals and objectives?"
        ),
    ),
    Question("working_toward", _("Have you already been working toward these goals? If so, how?")),
    Question(
        "strengths", _("What are two or three of your strengths as a worker or staff member?")
    ),
    Question("professional_goals", _("What are your short- and long-term professional goals?")),
    Question(
        "hope_to_learn",
        _(
            "What do you hope to learn from your mentor? "
            "What resources would you like your mentor to provide?"
        ),
    ),
    Question("comments", _("Additional comments"), required=False),
)

MENTOR_QUESTIONS = (
    Question("current_position", _("Briefly describe your current position and responsibilities.")),
    Question("career_path", _("Describe your prior career path and experiences.")),
    Question("mentored_before", _("Have you ever been a mentor? If so, where and for how long?")),
    Question(
        "knowledge_skills",
        _("What knowledge and skills do you bring to the mentoring relationship?"),
    ),
    Question(
        "support_needed",
        _("What kinds of support and assistance would be most helpful to you as a mentor?"),
    ),
    Question("comments", _("Additional comments"), required=False),
)

QUESTIONS = {"mentee": MENTEE_QUESTIONS, "mentor": MENTOR_QUESTIONS}
TITLES = {"mentee": _("Mentee survey"), "mentor": _("Mentor survey")}


def questions_for(role: str) -> tuple[Question, ...]:
    return QUESTIONS[role]
