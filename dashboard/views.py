from html import escape

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.charts import FunnelChart, bar_chart, funnel_chart
from core.dates import format_date
from core.flash import show_refusal
from programs import selectors as program_selectors
from programs.access import Need, can_create_programs, coordinator_page, program_view
from programs.invitation_messages import tell_about_invitations
from programs.models import Program

from . import retention, selectors, services


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
    return _render(request, [program], program=program)


@program_view(Need.MANAGE)
def retention_preview(request, program, role):
    """What the daily purge will empty in this program, and when (dashboard/retention.py)."""
    return render(
        request,
        "dashboard/retention.html",
        {
            "program": program,
            "preview": retention.retention_preview(program),
            "months": settings.RETENTION_MONTHS,
        },
    )


@require_http_methods(["GET", "POST"])
@program_view(Need.MANAGE)
def program_copy(request, program, role):
    """GET: what the copy will be; POST: make it and go on to edit it.

    Its URL keeps its name, `programs:copy` (mentorship/urls.py joins it to programs').
    """
    if request.method == "POST":
        try:
            new = services.program_copy_with_settings(program=program, by=request.user)
        except ValidationError as error:
            show_refusal(request, error)
            return redirect("programs:copy", slug=program.slug)
        messages.success(
            request,
            _(
                "“%(name)s” was created as a draft with every date one year later. "
                "Check the details and save."
            )
            % {"name": new.name},
        )
        tell_about_invitations(request, new, before=set())
        return redirect("programs:edit", slug=new.slug)
    return render(
        request,
        "programs/copy_confirm.html",
        {
            "program": program,
            "plan": program_selectors.planned_copy(program=program),
            "phases": program.phases.all(),
            "success_measures": program.success_measures.all(),
            "invited": program.coordinators.exclude(pk=request.user.pk).order_by("name"),
        },
    )


def _render(request, programs, *, program: Program | None):
    data = selectors.dashboard(programs) if programs else None
    if program is not None and data is not None:
        program = data.programs[0]  # read again by the dashboard, with its joins

    lists_at: dict[str, str] = {}

    def list_url(kind: str, one: Program | None = program) -> str:
        # Reversed once per list: the funnel links each of its steps for every program.
        if kind not in lists_at:
            lists_at[kind] = reverse("dashboard:list", args=[kind])
        url = lists_at[kind]
        return f"{url}?program={one.slug}" if one else url

    # One program's waiting applications open its review list, where they are decided in
    # bulk (intake: select all, Accept, Confirm); several programs' open the combined list.
    only = program or (programs[0] if len(programs) == 1 else None)

    def attention_url(key: str) -> str:
        if key == "applications_waiting" and only is not None:
            return f"{reverse('intake:review', args=[only.slug])}?status=submitted"
        return list_url(key)

    context = {
        "program": program,
        "data": data,
        "can_create_programs": bool(programs) or can_create_programs(request.user),
        "upcoming_days": selectors.UPCOMING_DAYS,
    }
    if data is not None:
        context |= {
            "attention": [
                {
                    "item": item,
                    "label": selectors.attention_label(item, data.no_meeting_days),
                    "count": data.attention[item.key],
                    "url": attention_url(item.key),
                }
                for item in selectors.ATTENTION
                if data.attention[item.key]
            ],
            "meetings_url": list_url("upcoming_meetings"),
            "evaluated_url": list_url("evaluated"),
            "steps": selectors.STEPS,
            "charts": _charts(data),
        }
        if program is not None:
            context["funnel"] = _funnel("pipeline", data.rows, list_url)
        else:
            context["funnel"] = _funnel("pipeline", data.funnel_rows, list_url)
            context["closed_funnel"] = _funnel("pipeline-closed", data.closed_rows, list_url)
            context["program_rows"] = _program_rows(data.rows)
    return render(request, "dashboard/home.html", context)


def _funnel(key: str, rows: list[selectors.ProgramRow], list_url) -> dict | None:
    """One column per program: a funnel is never added up across programs.

    Each number opens its list for that program alone, so the two always agree; the
    evaluation's list counts asked and answered per program, never who, so its number is
    not a link (the evaluation line below the chart opens it).
    """
    if not rows:
        return None
    linked = [step.key != "evaluated" for step in selectors.STEPS]
    chart = funnel_chart(
        key=key,
        title=_("Pipeline: people at each step"),
        steps=[str(step.label) for step in selectors.STEPS],
        columns=[
            (
                row.program.name,
                [row.funnel[step.key] for step in selectors.STEPS],
                [
                    list_url(step.key, row.program) if link else ""
                    for step, link in zip(selectors.STEPS, linked, strict=True)
                ],
            )
            for row in rows
        ],
        label_heading=_("Step"),
    )
    return {
        "chart": chart,
        "body": _funnel_body(chart),
        "outside": [row for row in rows if row.outside],
    }


def _funnel_body(chart: FunnelChart) -> SafeString:
    """The funnel's table rows: a step's label, then each program's number and its bar.

    Written here rather than cell by cell in the template (a column per program, a row per
    step: hundreds of cells on a national dashboard); every text is escaped.
    """
    lines = []
    for line in chart.lines:
        cells = []
        for cell in line.cells:
            if cell.href:
                number = (
                    f'<a class="fw-semibold" href="{escape(cell.href)}">{escape(cell.shown)}'
                    f'<span class="visually-hidden"> {escape(cell.name)}</span></a>'
                )
            else:
                number = f'<span class="fw-semibold">{escape(cell.shown)}</span>'
            cells.append(
                f'<td class="text-nowrap">{number}<svg class="d-block" width="48" height="8" '
                'viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" '
                f'focusable="false"><rect x="0" y="0" width="{int(cell.percent)}" height="8" '
                'rx="2" fill="#0a58ca"></rect></svg></td>'
            )
        lines.append(
            f'<tr><th scope="row" class="fw-normal">{escape(line.label)}</th>{"".join(cells)}</tr>'
        )
    # Safe: every text above was escaped; the rest is this function's own markup.
    return mark_safe("\n".join(lines))


def _program_rows(rows: list[selectors.ProgramRow]) -> SafeString:
    """The table of programs: each one's links, people, pairs and what needs attention.

    Written here rather than cell by cell in the template; every text is escaped.
    """
    dashboard_of = _('Dashboard<span class="visually-hidden"> of %(name)s</span>')
    people_in = _('People<span class="visually-hidden"> in %(name)s</span>')
    retention_of = _('Retention<span class="visually-hidden"> of %(name)s</span>')
    statuses = {value: escape(str(label)) for value, label in Program.Status.choices}
    lines = []
    for row in rows:
        program = row.program
        name, slug = escape(program.name), program.slug
        links = [
            f'<a href="{escape(reverse("dashboard:program", args=[slug]))}">'
            f"{dashboard_of % {'name': name}}</a>",
            f'<a href="{escape(reverse("programs:participants", args=[slug]))}">'
            f"{people_in % {'name': name}}</a>",
        ]
        if row.closed:
            links.append(
                f'<a href="{escape(reverse("dashboard:retention", args=[slug]))}">'
                f"{retention_of % {'name': name}}</a>"
            )
        lines.append(
            f'<tr><td><a class="fw-semibold" href="{escape(program.get_absolute_url())}">{name}</a>'
            f'<span class="d-block small">{statuses.get(program.status, "")} · '
            f"{' · '.join(links)}</span></td>"
            f'<td class="text-end d-none d-sm-table-cell">{int(row.mentees)}</td>'
            f'<td class="text-end d-none d-sm-table-cell">{int(row.mentors)}</td>'
            f'<td class="text-end">{int(row.active_pairs)}</td>'
            f'<td class="text-end">{int(row.attention)}</td></tr>'
        )
    # Safe: every text above was escaped; the rest is this function's own markup.
    return mark_safe("\n".join(lines))


def _charts(data: selectors.Dashboard) -> dict:
    months = [format_date(month.month, "YEAR_MONTH_FORMAT") for month in data.months]
    charts = {}
    # A year of zeros is a sentence in the template, not twelve bars of nothing.
    if any(month.meetings for month in data.months):
        charts["meetings"] = bar_chart(
            key="meetings",
            title=_("Meetings held each month"),
            rows=list(zip(months, [month.meetings for month in data.months], strict=True)),
            scale=0,
            label_heading=_("Month"),
            value_heading=_("Meetings"),
            fold_table=True,
        )
    if any(month.lost_time_hours for month in data.months):
        charts["lost_time"] = bar_chart(
            key="lost-time",
            title=_("Lost-time hours recorded each month"),
            rows=list(zip(months, [month.lost_time_hours for month in data.months], strict=True)),
            scale=0,
            label_heading=_("Month"),
            value_heading=_("Hours"),
            fold_table=True,
        )
    evaluation = data.evaluation
    if evaluation.shown:
        charts["evaluation"] = bar_chart(
            key="evaluation",
            title=_("How helpful was the program? (1 = extremely helpful)"),
            rows=evaluation.helpfulness,
            scale=evaluation.shown,
            fold_table=True,
        )
    return charts
