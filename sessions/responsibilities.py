"""The mentor's and the mentee's responsibilities, from the handbook's III.6 ("Provide
Orientation for Mentors and Mentees"): its two lists, item by item, in its order.

Shown as orientation material and on the worksheet (templates/sessions/_responsibilities.html).
"""

from django.utils.translation import gettext_lazy as _

MENTOR_RESPONSIBILITIES = (
    _("Encourage your mentee to try new tasks or “stretch” assignments."),
    _("Support your mentee as they work toward their goals."),
    _("Make yourself available."),
    _("Give and receive feedback in an appropriate and respectful way."),
    _("Create a spirit of openness and trust."),
    _("Brainstorm strategies to address the obstacles your mentee faces in their development."),
    _("Share information about your own experiences where appropriate."),
    _("Serve as an advocate for your mentee when possible."),
    _("Identify political pitfalls."),
)

MENTEE_RESPONSIBILITIES = (
    _("Think through your goals for the mentoring relationship."),
    _("Tell your mentor about the areas in which you want to develop and grow."),
    _(
        "Take on stretch assignments, such as public speaking, running a meeting or taking on "
        "other leadership roles."
    ),
    _(
        "Stay open to learning from your mentor: answer their e-mails and phone calls promptly, "
        "follow the suggestions they give, and listen to what they share about their own "
        "background and experiences."
    ),
    _("Follow the mentoring plan: keep scheduled appointments and complete assignments on time."),
    _("Evaluate your progress and setbacks openly."),
)
