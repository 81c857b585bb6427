"""Optimistic concurrency: one mechanism for every form a person edits.

A form opened in two tabs (or by a mentor and a mentee at once) must never lose what one of
them saved. The form carries, in a hidden field, a signed fingerprint of the stored values
it was loaded from: one keyed digest per field, never the values themselves, so the token
shows nothing and cannot be forged. The service that saves it locks the row in its
transaction, reads what is stored now and calls `Loaded.check`: when a field was changed
since the form was loaded and this save would replace it with something else, nothing is
written and `EditConflict` carries what is stored now. The view shows the same page again
(status 409) through `resolve`: both texts side by side, and the form pre-filled with the
newest saved values plus only the fields this person changed (their submitted value differs
from the loaded digest), carrying a fingerprint of the newest values, so one more Save keeps
both people's changes.

A missing or tampered token counts as "loaded from nothing known": every stored value is
treated as changed since, so the save goes through only when it would change nothing. A row
created since the form was loaded (two tabs creating the first draft) is a conflict too.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.core import signing
from django.db.models import Model
from django.utils import formats
from django.utils.crypto import salted_hmac
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from .dates import format_date
from .forms import normalise_newlines

FIELD = "loaded_as"
_SALT = "core.concurrency"
_UNSET = object()


def _norm(value: Any) -> str:
    """One text per meaning: a form's cleaned value and the stored value compare equal."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str):
        return normalise_newlines(value).strip()
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, Mapping):
        return "\x1e".join(sorted(f"{_norm(k)}\x1d{_norm(v)}" for k, v in value.items()))
    if isinstance(value, Iterable):
        return "\x1f".join(sorted(_norm(v) for v in value))
    return str(value)


def _digest(name: str, value: Any) -> str:
    return salted_hmac(_SALT, f"{name}\x00{_norm(value)}", algorithm="sha256").hexdigest()[:24]


def values_of(row: Model | None, fields: Iterable[str]) -> dict[str, Any] | None:
    """The stored values a form edits, or None when the row does not exist yet."""
    if row is None:
        return None
    return {name: getattr(row, name) for name in fields}


def stamp(stored: Mapping[str, Any] | None) -> str:
    """The signed token for a form loaded from `stored` (None: no row yet)."""
    digests = {name: _digest(name, value) for name, value in (stored or {}).items()}
    return signing.dumps({"row": stored is not None, "f": digests}, salt=_SALT, compress=True)


class EditConflict(Exception):
    """Someone saved since this form was loaded; `current` is what is stored now."""

    def __init__(self, current: Mapping[str, Any] | None, *, saved_by: str = "", saved_at=None):
        super().__init__("changed since the form was loaded")
        self.current = dict(current or {})
        self.saved_by = saved_by
        self.saved_at = saved_at


@dataclass(frozen=True)
class Loaded:
    """What a form was loaded from, as its hidden token says (`digests` None: unknown)."""

    existed: bool = False
    digests: dict[str, str] | None = None

    @classmethod
    def from_token(cls, token: str | None) -> Loaded:
        try:
            payload = signing.loads(token or "", salt=_SALT)
            return cls(existed=bool(payload["row"]), digests=dict(payload["f"]))
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return cls()  # missing or tampered: nothing known, so everything counts as changed

    @classmethod
    def from_values(cls, stored: Mapping[str, Any] | None) -> Loaded:
        """As if a form had been loaded from `stored` (for callers that are not forms)."""
        return cls.from_token(stamp(stored))

    def changed_since(self, name: str, value: Any) -> bool:
        """Whether `value` differs from what the form showed (blank when there was no row)."""
        if self.digests is None:
            return True
        shown = self.digests.get(name) if self.existed else _digest(name, None)
        return shown != _digest(name, value)

    def mine(self, submitted: Mapping[str, Any], tracked: Iterable[str]) -> set[str]:
        """The submitted fields this person changed (every field the token does not track)."""
        tracked = set(tracked)
        return {
            name
            for name, value in submitted.items()
            if name not in tracked or self.changed_since(name, value)
        }

    def check(
        self,
        stored: Mapping[str, Any] | None,
        submitted: Mapping[str, Any],
        *,
        saved_by: str = "",
        saved_at=None,
    ) -> None:
        """Raise `EditConflict` when writing `submitted` would replace a newer saved value.

        Call it inside the saving transaction, after locking the row: `stored` is what it
        holds now. A field changed since loading is lost only if this save writes something
        else into it, so the same form sent twice (a double click) goes through.
        """
        if stored is None:
            if self.digests is not None and not self.existed:
                return
            raise EditConflict(None, saved_by=saved_by, saved_at=saved_at)
        for name, value in stored.items():
            if name not in submitted or _digest(name, submitted[name]) == _digest(name, value):
                continue
            if not self.existed or self.changed_since(name, value):
                raise EditConflict(stored, saved_by=saved_by, saved_at=saved_at)


class LoadedFormMixin:
    """Put first in a form's bases; pass `loaded_from=` the stored values the form shows.

    Adds the hidden token field (rendered by every crispy helper, see
    `core.forms.inner_helper`) and `loaded()`, what the submitted token says.
    """

    def __init__(self, *args, loaded_from: Mapping[str, Any] | object | None = _UNSET, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if loaded_from is not _UNSET:
            self.initial[FIELD] = stamp(loaded_from)

    def loaded(self) -> Loaded:
        return Loaded.from_token(self.data.get(self.add_prefix(FIELD)))

    def clean(self):
        cleaned = super().clean()
        if cleaned is not None:
            cleaned.pop(FIELD, None)  # the token is never data for a service
        return cleaned


# --- The view's side: the same page again, with both texts and a merged form ----------------


@dataclass
class Resolution:
    """What a view shows on a conflict: `forms` pre-filled, `rows` side by side."""

    forms: list[forms.BaseForm]
    rows: list[dict] = field(default_factory=list)
    saved_by: str = ""
    saved_at: Any = None


def _display(form_field: forms.Field | None, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, datetime.datetime):
        return format_date(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, datetime.time):
        return formats.time_format(value)
    choices = {}
    if form_field is not None and hasattr(form_field, "choices"):
        for key, label in form_field.choices:
            if isinstance(label, list | tuple):
                choices.update({str(k): v for k, v in label})
            else:
                choices[str(key)] = label
    if isinstance(value, str):
        return str(choices.get(value, value))
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return ", ".join(_display(form_field, item) for item in value)
    return str(choices.get(str(value), value))


def _unbound_copy(form: forms.BaseForm, initial: Mapping[str, Any]) -> forms.BaseForm:
    """The same form, unbound, showing `initial` (so it shows no errors from the clash)."""
    fresh = copy.copy(form)
    fresh.is_bound = False
    fresh.data = MultiValueDict()
    fresh.files = MultiValueDict()
    fresh._errors = None
    fresh._bound_fields_cache = {}
    fresh.__dict__.pop("cleaned_data", None)
    fresh.initial = {**form.initial, **initial}
    return fresh


def resolve(conflict: EditConflict, *bound_forms: forms.BaseForm) -> Resolution:
    """The forms again, pre-filled with the newest saved values plus this person's changes.

    `bound_forms` are the submitted (valid) forms of the page; the one with the token
    carries the fingerprint of the newest values, so saving it again is a new, informed save.
    """
    loaded = next(f.loaded() for f in bound_forms if isinstance(f, LoadedFormMixin))
    current = conflict.current
    submitted = {}
    for form in bound_forms:
        submitted.update(getattr(form, "cleaned_data", {}))
    mine = loaded.mine(submitted, current)
    rows, resolved = [], []
    for form in bound_forms:
        initial = {}
        for name, form_field in form.fields.items():
            if name == FIELD or name not in submitted:
                continue
            yours = submitted[name]
            if name in current and _digest(name, current[name]) != _digest(name, yours):
                rows.append(
                    {
                        "name": form.add_prefix(name),
                        "label": form_field.label or name,
                        "theirs": _display(form_field, current[name]),
                        "yours": _display(form_field, yours),
                    }
                )
            # This person's change as they typed it (the raw box, not the cleaned value, so
            # a list typed as lines comes back as those lines); the rest as saved now.
            mine_as_typed = form[name].data if form.is_bound else yours
            initial[name] = mine_as_typed if name in mine or name not in current else current[name]
        if isinstance(form, LoadedFormMixin):
            initial[FIELD] = stamp(current or None)
        resolved.append(_unbound_copy(form, initial))
    return Resolution(
        forms=resolved, rows=rows, saved_by=conflict.saved_by, saved_at=conflict.saved_at
    )
