from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.concurrency import LoadedFormMixin
from core.forms import CountedTextMixin, inner_helper
from core.layout import heading
from core.widgets import Select
from intake.models import Application

from . import services
from .models import (
    CAPACITY_MAX,
    CAPACITY_MIN,
    WEIGHT_FIELDS,
    WEIGHT_MAX,
    WEIGHT_MIN,
    Exclusion,
    Match,
    MatchingSettings,
    MentorProfile,
    Preference,
    UnionSkill,
)
from .selectors import PREFERENCE_RANKS


class MentorProfileForm(LoadedFormMixin, CountedTextMixin, forms.ModelForm):
    """The member's entry in the mentor database; saved through `services`, not form.save()."""

    skills = forms.MultipleChoiceField(
        label=_("Which skills can you pass on?"),
        choices=UnionSkill.choices,
        widget=forms.CheckboxSelectMultiple,
        # Required by the model, which says so more helpfully than "This field is required".
        required=False,
    )
    internal = forms.TypedChoiceField(
        label=_("Are you a member of this union?"),
        choices=[
            ("True", _("Yes, I am a member of this union")),
            (
                "False",
                _(
                    "No, I would be an external mentor, for example a retiree or staff of an "
                    "allied organization"
                ),
            ),
        ],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        initial="True",
    )
    capacity = forms.IntegerField(
        label=_("How many mentees could you take on at once?"),
        initial=CAPACITY_MIN,
        widget=forms.NumberInput(attrs={"min": CAPACITY_MIN, "max": CAPACITY_MAX}),
    )
    availability = forms.MultipleChoiceField(
        label=_("When can you meet?"),
        choices=Application.Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    findable_by_other_programs = forms.TypedChoiceField(
        label=_("May coordinators of other programs find you?"),
        help_text=_(
            "The coordinators of the programs you take or took part in always see your mentor "
            "profile, contact details and programs. Coordinators of other programs see your "
            "mentor profile and your e-mail address only if you say yes, never your phone "
            "number or your programs. You can change your answer at any time."
        ),
        choices=[
            ("True", _("Yes, coordinators of other programs may find me and write to me")),
            ("False", _("No, only the coordinators of my own programs")),
        ],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether other programs' coordinators may find you.")},
    )

    class Meta:
        model = MentorProfile
        fields = services.MENTOR_PROFILE_FIELDS
        labels = {
            "background": _("Your background"),
            "interests": _("Your interests"),
            "experience": _("Your union and mentoring experience"),
            "qualifications": _("Qualifications (optional)"),
            "available": _("I am available to mentor now"),
        }
        help_texts = {
            "background": _(
                "Your current position and responsibilities, and the path that led you there."
            ),
            "interests": _("What you care about in the union, and what you would like to share."),
            "experience": _(
                "Positions you have held, campaigns, committees, bargaining tables, and anyone "
                "you have mentored, formally or not."
            ),
            "qualifications": _("Courses, certificates or training, e.g. steward training."),
            "available": _("Untick this while you cannot take a mentee; your profile stays."),
        }
        widgets = {
            "background": forms.Textarea(attrs={"rows": 5}),
            "interests": forms.Textarea(attrs={"rows": 4}),
            "experience": forms.Textarea(attrs={"rows": 5}),
            "qualifications": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacity"].help_text = _(
            "From %(min)d to %(max)d. In a mentoring circle, count each mentee."
        ) % {"min": CAPACITY_MIN, "max": CAPACITY_MAX}
        for name in (
            "background",
            "interests",
            "experience",
            "skills",
            "internal",
            "findable_by_other_programs",
        ):
            self.fields[name].widget.attrs.setdefault("aria-required", "true")
        self.helper = inner_helper(
            Layout(
                Fieldset(heading(_("About you")), "background", "interests"),
                Fieldset(
                    heading(_("What you bring")),
                    "experience",
                    "qualifications",
                    "skills",
                    "internal",
                ),
                Fieldset(
                    heading(pgettext_lazy("the time a mentor can give", "Time")),
                    "capacity",
                    "availability",
                    "available",
                ),
                Fieldset(heading(_("Who may find you")), "findable_by_other_programs"),
            )
        )

    def mentor_data(self) -> dict:
        """The cleaned answers, as `services.mentor_profile_save` takes them."""
        return {field: self.cleaned_data[field] for field in services.MENTOR_PROFILE_FIELDS}


class MentorFilterForm(CountedTextMixin, forms.Form):
    KIND_CHOICES = [
        ("", _("Internal and external")),
        ("internal", _("Members of this union")),
        ("external", _("External mentors")),
    ]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, background, interests, experience or qualifications."),
    )
    skill = forms.ChoiceField(
        label=_("Skill"), required=False, choices=[("", _("Any skill")), *UnionSkill.choices]
    )
    language = forms.CharField(
        label=_("Speaks"),
        required=False,
        max_length=40,
        help_text=_("A language other than English, e.g. French."),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(label=_("Mentors"), required=False, choices=KIND_CHOICES)
    available = forms.BooleanField(label=_("Available now only"), required=False)

    def __init__(self, *args, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Any region")), *((r, r) for r in regions)]

    def filters(self) -> dict:
        """The valid filters as `selectors.mentor_database` takes them; a bad one is ignored."""
        self.is_valid()
        data = self.cleaned_data if self.is_bound else {}
        kind = data.get("kind", "")
        return {
            "search": data.get("q", ""),
            "skill": data.get("skill", ""),
            "language": data.get("language", ""),
            "region": data.get("region", ""),
            "internal": {"internal": True, "external": False}.get(kind),
            "available_only": bool(data.get("available")),
        }


# --- Matching ------------------------------------------------------------------------------


class MatchingSettingsForm(CountedTextMixin, forms.ModelForm):
    """The program's weights; saved through `services.matching_settings_save`."""

    class Meta:
        model = MatchingSettings
        fields = services.SETTINGS_FIELDS

    def __init__(self, *args, circle: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not circle:
            del self.fields["circle_size"]
        for name in WEIGHT_FIELDS:
            self.fields[name].widget.attrs.update(min=WEIGHT_MIN, max=WEIGHT_MAX)
        self.helper = inner_helper()
        weights = Fieldset(heading(_("Points for each criterion")), *WEIGHT_FIELDS)
        self.helper.layout = (
            Layout(weights, Fieldset(heading(_("Circles")), "circle_size"))
            if circle
            else Layout(weights)
        )

    def settings_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


NO_PREFERENCE = ""
STRENGTH_CHOICES = [
    (NO_PREFERENCE, _("No preference")),
    (Preference.Strength.NICE, _("Nice to have")),
    (Preference.Strength.MUST, _("Must")),
]
GENERAL_KINDS = [k for k in Preference.Kind if k != Preference.Kind.SPECIFIC_MENTOR]
# Said where it is asked (handbook III.4: mentors of colour for workers of colour): optional,
# what it uses, and who sees it. The same words are on the printed survey (surveys/pdf.py).
SAME_RACE_ETHNICITY_HELP = _(
    "Optional. We compare the race or ethnicity on your profile (also optional) with your "
    "possible mentors’. Only the program’s coordinators see that you asked: your mentor is "
    "never told, and never sees your answer."
)
PREFERENCE_HELP = {Preference.Kind.SAME_RACE_ETHNICITY: SAME_RACE_ETHNICITY_HELP}
RANKS = PREFERENCE_RANKS


class MenteePreferencesForm(LoadedFormMixin, CountedTextMixin, forms.Form):
    """A mentee's learning goals and wishes about their mentor."""

    learning_goals = forms.MultipleChoiceField(
        label=_("What do you want to learn?"),
        choices=UnionSkill.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("We look for a mentor with experience in these."),
    )

    def __init__(self, *args, mentors: list[tuple[int, str]], peer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Peers are paired with each other: wishes about a mentor do not apply.
        for kind in () if peer else GENERAL_KINDS:
            self.fields[f"pref_{kind.value}"] = forms.ChoiceField(
                label=kind.label,
                choices=STRENGTH_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=NO_PREFERENCE,
                help_text=PREFERENCE_HELP.get(kind, ""),
            )
        self.ranked = bool(mentors)
        ordinals = {
            1: _("Your first choice"),
            2: _("Your second choice"),
            3: _("Your third choice"),
        }
        for rank in RANKS if mentors else ():
            self.fields[f"choice_{rank}"] = forms.TypedChoiceField(
                label=ordinals[rank],
                choices=[("", _("No choice")), *mentors],
                widget=Select,  # one option per mentor of the program, three times
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"choice_{rank}_must"] = forms.BooleanField(
                label=_("Must: only match me with a mentor I marked “must”"),
                required=False,
            )
        self.helper = inner_helper()
        sections = [Fieldset(heading(_("Your goals")), "learning_goals")]
        if not peer:
            sections.append(
                Fieldset(
                    heading(_("What matters to you in a mentor?")),
                    *(f"pref_{k.value}" for k in GENERAL_KINDS),
                )
            )
        if mentors:
            sections.append(
                Fieldset(
                    heading(_("Mentors you would like (optional)")),
                    *(name for rank in RANKS for name in (f"choice_{rank}", f"choice_{rank}_must")),
                )
            )
        self.helper.layout = Layout(*sections)

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(f"choice_{rank}") for rank in RANKS if self.ranked]
        picked = [c for c in chosen if c]
        if len(picked) != len(set(picked)):
            raise ValidationError(_("Choose each mentor once."), code="repeated")
        return cleaned

    def preferences(self) -> dict[str, str]:
        return {
            k.value: self.cleaned_data[f"pref_{k.value}"]
            for k in GENERAL_KINDS
            if self.cleaned_data.get(f"pref_{k.value}")
        }  # none in a peer program: the fields are not there

    def ranked_choices(self) -> list[tuple[int, bool]]:
        """(mentor participant id, must), first choice first."""
        if not self.ranked:
            return []
        return [
            (self.cleaned_data[f"choice_{rank}"], self.cleaned_data[f"choice_{rank}_must"])
            for rank in RANKS
            if self.cleaned_data.get(f"choice_{rank}")
        ]


class MentorPreferencesForm(LoadedFormMixin, CountedTextMixin, forms.Form):
    """A mentor's capacity in the program, and whom they would rather not mentor."""

    capacity = forms.IntegerField(
        label=_("How many mentees could you take on in this program?"),
        min_value=CAPACITY_MIN,
        max_value=CAPACITY_MAX,
        widget=forms.NumberInput(attrs={"min": CAPACITY_MIN, "max": CAPACITY_MAX}),
    )
    rather_not = forms.TypedMultipleChoiceField(
        label=_("I would rather not mentor…"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "For example someone you supervise, or a relative. You will never be matched "
            "with them, and they are not told."
        ),
    )
    reason = forms.CharField(
        label=_("Why? (optional)"),
        required=False,
        max_length=Exclusion.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen by the program's coordinators only."),
    )

    def __init__(self, *args, mentees: list[tuple[int, str]], circle: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rather_not"].choices = mentees
        if circle:
            del self.fields["capacity"]
        self.helper = inner_helper()
        self.helper.layout = Layout(
            *(["capacity"] if not circle else []),
            Fieldset(heading(_("Conflicts of interest")), "rather_not", "reason"),
        )


class EndMatchForm(CountedTextMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Why does the match end?"),
        choices=Match.EndReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anything the coordinators should know? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inner_helper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Match.EndReason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say in a few words why the match ends."))
        return cleaned


class ManualMatchForm(CountedTextMixin, forms.Form):
    """A coordinator's own choice of mentor; warnings need an override note."""

    mentor = forms.TypedChoiceField(label=_("Mentor"), coerce=int, widget=Select)
    override_note = forms.CharField(
        label=_("Override note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the pair breaks a constraint or a mentor's capacity."),
    )

    def __init__(self, *args, mentors: list[tuple[int, str]], mentor_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].choices = [("", _("Choose…")), *mentors]
        if mentor_label:
            self.fields["mentor"].label = mentor_label
        self.helper = inner_helper()


class SwapForm(CountedTextMixin, forms.Form):
    other = forms.TypedChoiceField(label=_("Swap mentors with"), coerce=int, widget=Select)

    def __init__(self, *args, proposals: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [("", _("Choose…")), *proposals]
        self.helper = inner_helper()


class PairForm(CountedTextMixin, forms.Form):
    """The board's small buttons: a mentee and a mentor (validation only)."""

    mentee = forms.IntegerField()
    mentor = forms.IntegerField()


class PublishForm(CountedTextMixin, forms.Form):
    matches = forms.TypedMultipleChoiceField(
        label=_("Matches to publish"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick a match to keep it as a proposal for now."),
    )

    def __init__(self, *args, proposals: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matches"].choices = proposals
        self.fields["matches"].initial = [pk for pk, _label in proposals]
        self.helper = inner_helper()
