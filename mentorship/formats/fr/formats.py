"""French dates and times, as written in Quebec: "1er décembre 2026 à 21 h 46".

The "1er" of the first day of a month is no Django format character: core/dates.py writes it
(the catalogue's translation of the day "1"). No format here ends in a full stop. Anything
not set here falls back to Django's French formats.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = r"G \h i"
DATETIME_FORMAT = r"j F Y \à G \h i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
# The short formats are the long ones: one style per language, whatever the page.
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
