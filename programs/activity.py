"""Every coordinator's and superuser's write is on record, by construction.

`ActivityMiddleware` watches the database writes of each unsafe request (POST, PUT,
PATCH, DELETE) made by a coordinator of the program in the address, by a coordinator
outside any program's address (creating a program, the mentor database), or by a
superuser (the admin included). When the request's writes stand, it appends one
`ActivityEntry`: who, when, which program, the URL's name and arguments, and for each
model written whether rows were created, changed or deleted, with the names of the
fields. Never a value: no name, note, answer or date typed ever reaches the log.

Nothing in a view has to remember to log: a new coordinator page is on record the day it
is added (programs/tests/test_activity_log.py plants one to check). Model and field names
come from the SQL Django generates (`INSERT INTO "t" ("a", …)`, `UPDATE "t" SET "a" = …`,
`DELETE FROM "t"`), read through `connection.execute_wrapper` (Django's documented hook),
so `QuerySet.update()`, `bulk_create()` and `bulk_update()` are seen too, which model
signals (and so django-auditlog) would miss.

The request runs in one transaction: writes made inside a savepoint that was rolled back
are not on record, a request that fails with a server error leaves no change and no entry,
and the entry is written in the same transaction as the changes it describes.
"""

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import timezone

from .models import ActivityEntry, Participant, Program

logger = logging.getLogger(__name__)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# A member's own business, whoever they are: their log-in, password, e-mail addresses and
# two-factor set-up (allauth), profile, language, reminder choices, mentor profile and
# calendar address. Everything else a coordinator or a superuser posts is on record,
# including any page added later.
OWN_ACCOUNT_MODULES = ("allauth.",)
OWN_ACCOUNT_URLS = frozenset(
    {
        "accounts:set_language",
        "accounts:profile",
        "accounts:profile_delete",
        "accounts:reminders",
        "matching:my_mentor_profile",
        "matching:confirm_mentor_profile",
        "sessions:calendar_regenerate",
        "sessions:calendar_revoke",
    }
)

# URL arguments that are secrets (a calendar address, a password-reset key): never stored.
SECRET_ARGUMENTS = frozenset({"token", "key", "uidb36", "uidb64"})

# Tables whose writes are not a decision of anyone's, so never a reason for an entry.
IGNORED_TABLES = frozenset(
    {
        ActivityEntry._meta.db_table,  # the log itself (and Django nulling its foreign keys)
        "django_session",  # log-in state and flash messages
        "django_admin_log",  # the admin's own history of the same change (with object names)
        "django_content_type",  # filled in by Django on first use
        "auth_permission",  # likewise
        "django_migrations",
        # A record of who looked at a member's demographics, written by pages that show
        # them: a read, not a change (today only GET pages write it).
        "accounts_personaldataview",
    }
)


def _cache_tables() -> frozenset[str]:
    """The database cache's table, when the cache is the database (no Redis)."""
    return frozenset(
        c["LOCATION"]
        for c in settings.CACHES.values()
        if c.get("BACKEND", "").endswith("DatabaseCache")
    )


CREATED, CHANGED, DELETED = "created", "changed", "deleted"

_INSERT = re.compile(
    r'^INSERT\s+(?:OR\s+\w+\s+)?INTO\s+"(?P<table>[^"]+)"\s*(?:\((?P<columns>[^)]*)\))?', re.I
)
_UPDATE = re.compile(r'^UPDATE\s+"(?P<table>[^"]+)"\s+SET\s+(?P<rest>.*)$', re.I | re.S)
_DELETE = re.compile(r'^DELETE\s+FROM\s+"(?P<table>[^"]+)"', re.I)
# An assignment in a SET list: at its start or after a comma, `"column" =`. Columns in a
# CASE (bulk_update) or a WHERE are qualified (`"table"."id" =`) and so never match.
_ASSIGNED = re.compile(r'(?:^|,)\s*"([^"]+)"\s*=')
_QUOTED = re.compile(r'"([^"]+)"')
_SAVEPOINT = re.compile(
    r'^(?P<verb>SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\s+"?(?P<sid>[^"\s]+)"?', re.I
)


@dataclass(frozen=True)
class Write:
    table: str
    operation: str
    columns: tuple[str, ...]


def parse_write(sql: str) -> Write | None:
    """The table, operation and column names of a write Django generated; None otherwise."""
    if found := _INSERT.match(sql):
        return Write(found["table"], CREATED, tuple(_QUOTED.findall(found["columns"] or "")))
    if found := _UPDATE.match(sql):
        return Write(found["table"], CHANGED, tuple(_ASSIGNED.findall(found["rest"])))
    if found := _DELETE.match(sql):
        return Write(found["table"], DELETED, ())
    return None


@cache
def _tables() -> dict[str, tuple[str, dict[str, str]]]:
    """Table name → (model label, {column: field name}), from the app registry."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        columns = {f.column: f.name for f in model._meta.concrete_fields}
        found[model._meta.db_table] = (model._meta.label_lower, columns)
    return found


@dataclass
class Recorder:
    """What one request wrote, savepoint by savepoint, as Django's SQL says."""

    actor_id: int
    program_id: int | None
    action: str
    target: dict
    frames: list[list[Write]] = field(default_factory=lambda: [[]])
    savepoints: list[str] = field(default_factory=list)
    # Per model, the fields the view's form says were changed (`refine`).
    form_changed: dict[str, set[str]] = field(default_factory=dict)

    def watch(self, execute: Callable, sql: str, params, many: bool, context: dict):
        result = execute(sql, params, many, context)
        self._note(sql.lstrip())
        return result

    def _note(self, sql: str) -> None:
        first = sql[:1].upper()
        if first in "IUD":
            if write := parse_write(sql):
                self.frames[-1].append(write)
        elif first in "SRL" and (found := _SAVEPOINT.match(sql)):
            self._savepoint(found["verb"].upper(), found["sid"])

    def _savepoint(self, verb: str, sid: str) -> None:
        if verb == "SAVEPOINT":
            self.savepoints.append(sid)
            self.frames.append([])
            return
        if sid not in self.savepoints:  # opened before this request began: not ours
            return
        depth = self.savepoints.index(sid) + 1
        if verb == "ROLLBACK TO SAVEPOINT":
            # Back to where the savepoint began: its writes and those of later ones are undone.
            del self.frames[depth + 1 :]
            del self.savepoints[depth:]
            self.frames[depth].clear()
        else:  # RELEASE: its writes (and later savepoints') now belong to the enclosing one
            kept = [w for frame in self.frames[depth:] for w in frame]
            del self.frames[depth:]
            del self.savepoints[depth - 1 :]
            self.frames[-1].extend(kept)

    def writes(self) -> Iterable[Write]:
        return (w for frame in self.frames for w in frame)

    def changes(self) -> list[dict]:
        """[{model, operation, fields}] in the order first written; ignored tables left out."""
        ignored = IGNORED_TABLES | _cache_tables()
        tables = _tables()
        merged: dict[tuple[str, str], list[str]] = {}
        for write in self.writes():
            if write.table in ignored:
                continue
            label, columns = tables.get(write.table, (write.table, {}))
            names = merged.setdefault((label, write.operation), [])
            for column in write.columns:
                name = columns.get(column, column)
                if name not in names:
                    names.append(name)
        result = []
        for (label, operation), names in merged.items():
            if operation == CHANGED and label in self.form_changed:
                names = [n for n in names if n in self.form_changed[label]]
            if operation == DELETED:
                names = []
            result.append({"model": label, "operation": operation, "fields": names})
        return result


def record_activity(
    *,
    actor_id: int | None,
    program_id: int | None,
    action: str,
    target: dict | None = None,
    changes: list[dict],
    at=None,
) -> ActivityEntry:
    """Append one entry; `changes` name models and fields, never values."""
    return ActivityEntry.objects.create(
        actor_id=actor_id,
        program_id=program_id,
        action=action,
        target=target or {},
        changes=changes,
        at=at or timezone.now(),
    )


def refine(request: HttpRequest, *, program: Program | None = None, form=None) -> None:
    """Tell the request's entry what the view knows better than the SQL; optional.

    `program`: the program the request created (its address had none yet).
    `form`: a bound ModelForm whose model's row was saved: its changed fields are the
    ones reported (a `save()` writes every column, changed or not).
    """
    recorder: Recorder | None = getattr(request, "_activity", None)
    if recorder is None:
        return
    if program is not None:
        recorder.program_id = program.pk
    if form is not None and form.is_bound and hasattr(form, "_meta"):
        label = form._meta.model._meta.label_lower
        recorder.form_changed.setdefault(label, set()).update(form.changed_data)


def _is_own_account(match: ResolverMatch) -> bool:
    module = getattr(match.func, "__module__", "") or ""
    return module.startswith(OWN_ACCOUNT_MODULES) or match.view_name in OWN_ACCOUNT_URLS


def _target(match: ResolverMatch) -> dict:
    return {
        name: value if isinstance(value, int | str) else str(value)
        for name, value in match.kwargs.items()
        if name not in SECRET_ARGUMENTS
    }


def recorder_for(request: HttpRequest) -> Recorder | None:
    """A recorder when this request's writes must be on record, else None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    if _is_own_account(match):
        return None
    program_id = None
    # In this project a `slug` argument is always a program's (programs/access.py).
    slug = match.kwargs.get("slug")
    if slug is not None:
        row = (
            Program.objects.filter(slug=slug)
            .annotate(
                coordinates=Exists(
                    Program.coordinators.through.objects.filter(
                        program=OuterRef("pk"), user_id=user.pk
                    )
                ),
                takes_part=Exists(Participant.objects.filter(program=OuterRef("pk"), user=user)),
            )
            .values_list("pk", "coordinates", "takes_part")
            .first()
        )
        if row is None:
            return None  # no such program: a 404, nothing written
        program_id, coordinates, takes_part = row
        # A superuser taking part in the program acts there as a member (their survey,
        # their confidential evaluation): not on record, like any member's.
        if not (coordinates or (user.is_superuser and not takes_part)):
            return None
    elif not (user.is_superuser or user.coordinated_programs.exists()):
        return None
    return Recorder(
        actor_id=user.pk, program_id=program_id, action=match.view_name, target=_target(match)
    )


class ActivityMiddleware:
    """Append an ActivityEntry for each coordinator's or superuser's request that wrote.

    Place after AuthenticationMiddleware (it needs `request.user`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in UNSAFE_METHODS:
            return self.get_response(request)
        recorder = recorder_for(request)
        if recorder is None:
            return self.get_response(request)
        request._activity = recorder
        with transaction.atomic():
            with connection.execute_wrapper(recorder.watch):
                response = self.get_response(request)
            if response.status_code >= 500:
                # The view failed part-way: none of its writes stand, so nothing to record.
                transaction.set_rollback(True)
            elif changes := recorder.changes():
                self._record(recorder, changes)
        return response

    def _record(self, recorder: Recorder, changes: list[dict]) -> None:
        actor_id, program_id = recorder.actor_id, recorder.program_id
        deleted = {c["model"] for c in changes if c["operation"] == DELETED}
        # The request may have deleted the actor (a superuser in the admin) or the program.
        user_label = settings.AUTH_USER_MODEL.lower()
        if user_label in deleted and not _exists(
            apps.get_model(settings.AUTH_USER_MODEL), actor_id
        ):
            actor_id = None
        if "programs.program" in deleted and not _exists(Program, program_id):
            program_id = None
        record_activity(
            actor_id=actor_id,
            program_id=program_id,
            action=recorder.action,
            target=recorder.target,
            changes=changes,
        )


def _exists(model, pk) -> bool:
    return pk is not None and model._default_manager.filter(pk=pk).exists()
