"""The handbook's wording for the orientation agenda (Appendix III) and the planning
worksheet (Appendix IV). Appendices V and VI are the questions of `Preparation` and
`SessionRecord` themselves.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# --- Appendix III: Sample Agenda for Orientation Session (2 hours) ---------------------------
# A new orientation starts from this agenda; coordinators then adapt it.

DEFAULT_DURATION_MINUTES = 120

GOALS = (
    _("To understand the basic structure, goals, and procedures of the mentoring program"),
    _(
        "To allow mentors and mentees to get to know each other on a professional and "
        "personal level"
    ),
    _("To create a mentoring agreement that involves a work plan and timeline"),
)


@dataclass(frozen=True)
class Item:
    key: str  # stable: a saved item keeps it (and no text) until a coordinator edits it
    title: str
    minutes: int
    description: str


DEFAULT_AGENDA = (
    Item(
        "introductions",
        _("Introductions"),
        10,
        _(
            "Participants state in turn:\n"
            "- their local union;\n"
            "- their role in the union; and\n"
            "- why they are interested in the mentoring program."
        ),
    ),
    Item(
        "overview",
        _("Overview of the mentoring program"),
        20,
        _(
            "- How long does the program last?\n"
            "- What does it involve?\n"
            "- Why do mentoring? What are its potential benefits? (If possible, have past "
            "program participants speak about their experiences and how mentoring has "
            "helped them.)\n"
            "- What are the roles and responsibilities of mentors and mentees?\n"
            "- What time commitment is required of mentors and mentees?"
        ),
    ),
    Item(
        "getting_acquainted",
        _("Getting acquainted"),
        50,
        _(
            "Mentors and mentees meet individually to discuss their completed mentor and "
            "mentee survey forms. Topics to discuss include:\n"
            "- current positions and responsibilities;\n"
            "- career paths and experiences;\n"
            "- expectations for the mentoring program;\n"
            "- goals to explore during the mentoring relationship; and\n"
            "- resources that may be useful in achieving these goals."
        ),
    ),
    Item(
        "work_plan",
        _("Completing work plan and timeline"),
        30,
        _(
            "- Mentor and mentee exchange contact information (name, e-mail, phone).\n"
            "- Determine frequency and length of meetings.\n"
            "- Schedule next session date, time, and length.\n"
            "- If meeting by phone, decide who will place the call.\n"
            "- If meeting in person, determine the location.\n"
            "- Discuss any other logistical issues.\n"
            "- Fill out a work plan or set-the-stage template (see Appendix IV).\n"
            "- Talk about format of mentoring sessions (may want to use Session Structure for "
            "Mentor and Session Preparation Guide for Mentee, see Appendix V and Appendix VI)."
        ),
    ),
    Item("wrap_up", _("Wrap up"), 10, ""),
)
DEFAULT_ITEMS = {item.key: item for item in DEFAULT_AGENDA}


def default_agenda() -> list[dict]:
    """The appendix's agenda in the current language, as rows to save or to prefill a form."""
    return [
        {"title": str(item.title), "minutes": item.minutes, "description": str(item.description)}
        for item in DEFAULT_AGENDA
    ]


def handbook_rows() -> list[dict]:
    """The appendix's agenda as saved rows: each item by its key, without text."""
    return [
        {"key": item.key, "title": "", "minutes": item.minutes, "description": ""}
        for item in DEFAULT_AGENDA
    ]


def _same(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


def default_key(title: str, description: str) -> str:
    """The key of the handbook's item whose title and description these are, in any of the
    site's languages (a coordinator saving the agenda unchanged); "" for an edited item."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for item in DEFAULT_AGENDA:
                if _same(title, str(item.title)) and _same(description, str(item.description)):
                    return item.key
    return ""


def agenda_texts(key: str, title: str, description: str) -> tuple[str, str]:
    """A saved item's title and description as the reader reads them: the handbook's item
    in the active language while it is unedited, the coordinator's text once edited."""
    item = DEFAULT_ITEMS.get(key)
    if item is None:
        return title, description
    return str(item.title), str(item.description)


# --- Appendix IV: Worksheet for Planning the Mentoring Relationship ---------------------------

WORKSHEET_INTRO = _(
    "When entering into a mentoring partnership both parties commit to a shared effort. This "
    "form is designed to document decisions you make together about the work ahead. As "
    "conditions change and your relationship matures, refer to this sheet to be reminded of "
    "agreements you made early on. Before your first meeting, think about the themes below. "
    "When you meet, use the form as the basis for conversation and decision-making."
)


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    prompt: str
    fields: tuple[str, ...]


WORKSHEET_SECTIONS = (
    Section(
        1,
        _("Clarify roles."),
        _(
            "The role of a mentor is to share expertise, advise, advocate, coach, and support. "
            "The role of the mentee is to seek advice and take steps toward professional "
            "growth. Write comments or clarifications you wish to make about your roles."
        ),
        ("roles",),
    ),
    Section(
        2,
        _("Establish purpose."),
        _(
            "Mentoring for its own sake is not your purpose! Record your specific purposes for "
            "entering this mentoring partnership (for example, to learn from one another or to "
            "develop new skills, such as running meetings or negotiating contracts)."
        ),
        ("purpose",),
    ),
    Section(
        3,
        _("Document initial goals."),
        _(
            "What do you wish to accomplish by working together in the mentoring relationship? "
            "Record several short-term work goals and long-term goals discussed during the "
            "orientation session. You will continue setting goals as you meet in the weeks "
            "ahead."
        ),
        ("short_term_goals", "long_term_goals"),
    ),
    Section(
        4,
        _("Establish mentoring timeframe."),
        _(
            "How long should your mentoring relationship last? Having a clear endpoint can make "
            "you more productive in your time together. Consider a target date six to twelve "
            "months ahead. Let major milestones guide your choice, such as a performance review "
            "or a product release. Plan a mid-point check halfway to your goal to reflect on "
            "progress. Describe your timeframe here. Set your mid-point check-in meeting now."
        ),
        ("starts_on", "target_end_on", "midpoint_on", "timeframe"),
    ),
    Section(
        5,
        _("Plan your work together (regular meetings)."),
        _(
            "Record when, where, and how frequently you will meet. Agree to maintain momentum "
            "by keeping to your meeting schedule, but discuss what you will do if one of you "
            "needs to postpone a meeting. Record your regular meeting plan and contingency plan."
        ),
        ("meeting_plan", "contingency_plan"),
    ),
    Section(
        6,
        _("Plan your work together (informal interactions)."),
        _(
            "Mentoring works best when the participants can interact in an “open door” "
            "environment, but set some ground rules. Are impromptu drop-in meetings acceptable? "
            "What kind of turnaround can each of you expect when the other leaves a message by "
            "phone or e-mail? Briefly note your preferences and expectations."
        ),
        ("informal_interactions",),
    ),
    Section(
        7,
        _("Discuss constructive feedback."),
        _(
            "In a healthy partnership, both parties are able to give and take constructive "
            "feedback. A mentor may give critical input to help a mentee learn a new skill, "
            "change methods, or build awareness. In turn, a mentee may counter a recommendation "
            "or ask for a different kind of support from the mentor. Discuss how you prefer to "
            "give and receive critical feedback. And how will you agree to disagree?"
        ),
        ("feedback",),
    ),
    Section(8, _("Determine your next meeting date and time."), "", ("next_meeting_at",)),
    Section(9, _("Record contact information for each of you."), "", ()),
)
