"""Appendices VII to IX on paper. Feedback prints blank or filled; the program evaluations
print blank only: a filled one is confidential and never leaves the screen.
"""

from django.utils.translation import gettext_lazy as _

from core.printing import Paper, PrintableForm, section, signature_rows

from . import questions
from .forms import EvaluationForm, FeedbackForm
from .models import Feedback

SOURCES = {
    "feedback": _(
        "Appendix VII of The Next Generation: A Handbook for Mentoring Future Union Leaders"
    ),
    "mentee": _(
        "Appendix VIII of The Next Generation: A Handbook for Mentoring Future Union Leaders"
    ),
    "mentor": _(
        "Appendix IX of The Next Generation: A Handbook for Mentoring Future Union Leaders"
    ),
}


def _only(form, names):
    form.fields = {name: form.fields[name] for name in names}
    return form


def feedback_sections(
    *, values: dict | None = None, by_mentor: bool | None = None, signers: list | None = None
):
    sides = (True, False) if by_mentor is None else (by_mentor,)
    sections = [
        section(
            questions.FEEDBACK_ASSESS,
            _only(FeedbackForm(by_mentor=True), ("worked_well", "learned", "did_not_work")),
            values=values,
        )
    ]
    for side in sides:
        heading, _so_far, _going_forward = questions.partner_prompts(by_mentor=side)
        form = FeedbackForm(by_mentor=side)
        sections.append(
            section(
                heading,
                _only(form, ("partner_so_far", "partner_going_forward")),
                values=values,
            )
        )
    sections.append(
        section(
            _("What’s next:"),
            _only(FeedbackForm(by_mentor=True), ("whats_next", "whats_next_other")),
            values=values,
            lines=1,
        )
    )
    sections.append(
        section(
            _("Signatures"),
            intro=_("We discussed this feedback together in our final session."),
            extra=signature_rows(signers or [(_("Mentee"), "", ""), (_("Mentor"), "", "")]),
        )
    )
    return sections


def filled_feedback_paper(feedback: Feedback, *, record_url: str) -> Paper:
    values = {name: getattr(feedback, name) for name in FeedbackForm.base_fields}
    author = feedback.author
    # The author's line carries their name; the partner's is left to write in.
    signers = [
        (_("Mentee"), author.user.name if author.role != "mentor" else "", ""),
        (_("Mentor"), author.user.name if author.role == "mentor" else "", ""),
    ]
    return Paper(
        title=str(questions.FEEDBACK_TITLE),
        source=str(SOURCES["feedback"]),
        intro=f"{author.user.name} ({author.get_role_display()})",
        sections=feedback_sections(
            values=values, by_mentor=author.role == "mentor", signers=signers
        ),
        program=feedback.match.program,
        values=values,
        record_code=f"F-{feedback.pk:06d}",
        record_url=record_url,
    )


def evaluation_sections(role: str):
    return [section("", EvaluationForm(role=role), lines=4)]


PRINTABLE_FORMS = [
    PrintableForm(
        key="mentoring-feedback",
        title=questions.FEEDBACK_TITLE,
        source=SOURCES["feedback"],
        intro=questions.FEEDBACK_INSTRUCTIONS,
        sections=feedback_sections,
    ),
    *(
        PrintableForm(
            key=f"{role}-evaluation",
            title=questions.EVALUATION_TITLES[role],
            source=SOURCES[role],
            intro=questions.CONFIDENTIAL_NOTE,
            sections=lambda role=role: evaluation_sections(role),
        )
        for role in ("mentee", "mentor")
    ),
]


def record_target(pk: int) -> str | None:
    """Where an F- record code leads: the feedback page of its match (the author's own)."""
    from django.urls import reverse

    feedback = Feedback.objects.select_related("match__program").filter(pk=pk).first()
    if feedback is None:
        return None
    return reverse("evaluation:feedback", args=[feedback.match.program.slug, feedback.match_id])
