"""Each program's reminder intervals, read in one query for any number of programs."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import ReminderSettings

DEFAULTS = ReminderSettings()


@dataclass(frozen=True)
class Intervals:
    by_program: dict[int, ReminderSettings] = field(default_factory=dict)

    @classmethod
    def load(cls, program_ids: Iterable[int] | None = None) -> "Intervals":
        rows = ReminderSettings.objects.all()
        if program_ids is not None:
            rows = rows.filter(program_id__in=program_ids)
        return cls({row.program_id: row for row in rows})

    def of(self, program_id: int | None) -> ReminderSettings:
        return self.by_program.get(program_id, DEFAULTS)

    def days(self, program_id: int | None, name: str) -> int:
        return getattr(self.of(program_id), name)

    def widest(self, name: str) -> int:
        """The largest value any program uses: queries take this window, then filter."""
        return max(getattr(row, name) for row in (DEFAULTS, *self.by_program.values()))

    def narrowest(self, name: str) -> int:
        return min(getattr(row, name) for row in (DEFAULTS, *self.by_program.values()))
