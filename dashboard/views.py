from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.charts import bar_chart
from programs.access import Need, can_create_programs, coordinator_page, program_view
from programs.models import Program

from . import selectors


@coordinator_page
def home(request):
    """The coordinator's home: every program they run, at a glance."""
    programs = selectors.programs_of(request.user)
    if not programs and not can_create_programs(request.user):
        # Neither coordinating nor allowed to set up a program: no such page for them.
        raise Http404
    return _render(request, programs, program=None)


@program_view(Need.MANAGE)
def program_dashboard(request, program, role):
    program = (
        Program.objects.select_related("orientation", "evaluation_window")
        .filter(pk=program.pk)
        .get()
    )
    return _render(request, [program], program=program)


def _render(request, programs, *, program: Program | None):
    data = selectors.dashboard(programs) if programs else None

    def list_url(kind: str) -> str:
        url = reverse("dashboard:list", args=[kind])
        return f"{url}?program={program.slug}" if program else url

    context = {
        "program": program,
        "data": data,
        "can_create_programs": bool(programs) or can_create_programs(request.user),
        "upcoming_days": selectors.UPCOMING_DAYS,
    }
    if data is not None:
        context |= {
            "steps": [
                {"step": step, "count": data.steps[step.key], "url": list_url(step.key)}
                for step in selectors.STEPS
            ],
            "attention": [
                {
                    "item": item,
                    "label": selectors.attention_label(item, data.no_meeting_days),
                    "count": data.attention[item.key],
                    "url": list_url(item.key),
                }
                for item in selectors.ATTENTION
                if data.attention[item.key]
            ],
            "meetings_url": list_url("upcoming_meetings"),
            "charts": _charts(data, list_url),
        }
    return render(request, "dashboard/home.html", context)


def _charts(data: selectors.Dashboard, list_url) -> dict:
    months = [date_format(month.month, "YEAR_MONTH_FORMAT") for month in data.months]
    charts = {
        "pipeline": bar_chart(
            key="pipeline",
            title=_("Pipeline: people at each step"),
            rows=[(str(step.label), data.steps[step.key]) for step in selectors.STEPS],
            scale=max(data.steps.values(), default=0),
            links=[list_url(step.key) for step in selectors.STEPS],
            label_heading=_("Step"),
            value_heading=_("People"),
        ),
        "meetings": bar_chart(
            key="meetings",
            title=_("Meetings held each month"),
            rows=list(zip(months, [month.meetings for month in data.months], strict=True)),
            scale=0,
            label_heading=_("Month"),
            value_heading=_("Meetings"),
        ),
        "lost_time": bar_chart(
            key="lost-time",
            title=_("Lost-time hours recorded each month"),
            rows=list(zip(months, [month.lost_time_hours for month in data.months], strict=True)),
            scale=0,
            label_heading=_("Month"),
            value_heading=_("Hours"),
        ),
    }
    evaluation = data.evaluation
    if evaluation.shown:
        charts["evaluation"] = bar_chart(
            key="evaluation",
            title=_("How helpful was the program? (1 = extremely helpful)"),
            rows=evaluation.helpfulness,
            scale=evaluation.shown,
        )
    return charts
