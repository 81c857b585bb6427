"""English dates and times: one style, the month written out ("December 6, 2026, 9:46 PM").

Django's own English formats mix three styles ("Dec. 6, 2026", "12/09/2026", "p.m.") and end
in a full stop that doubles one ending a sentence; these replace them (FORMAT_MODULE_PATH).
No format here ends in a full stop. Anything not set here falls back to Django's (input
formats: date inputs send ISO dates, which every language accepts).
"""

DATE_FORMAT = "F j, Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "F j, Y, g:i A"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
# The short formats are the long ones: one style per language, whatever the page.
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
