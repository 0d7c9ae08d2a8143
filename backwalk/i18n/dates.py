"""Moments in words, in the active language: English as backwalk always wrote them, other
languages from the Unicode CLDR data that ships with Babel (month and day names, word order)."""

from __future__ import annotations

from datetime import date, datetime

from backwalk import i18n


def day_and_time(moment: datetime) -> str:
    """'Mon 7 Dec, 14:05' in the machine's time zone (the app runs on the person's own)."""
    local = moment.astimezone()
    lang = i18n.active()
    if lang == i18n.DEFAULT:
        return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"
    from babel.dates import format_datetime

    return str(format_datetime(local, "EEE d MMM, HH:mm", locale=lang))


def date_at_time(moment: datetime) -> str:
    """'7 Dec at 14:05', in the machine's time zone."""
    local = moment.astimezone()
    lang = i18n.active()
    if lang == i18n.DEFAULT:
        return f"{local.day} {local:%b} at {local:%H:%M}"
    from babel.dates import format_date

    day = format_date(local, "d MMM", locale=lang)
    return i18n.gettext("{date} at {time}").format(date=day, time=f"{local:%H:%M}")


WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekday_short(code: str) -> str:
    """A weekday's short name from its code ('mon' -> 'Mon'; in Spanish 'Lun')."""
    lang = i18n.active()
    if lang == i18n.DEFAULT or code not in WEEKDAY_CODES:
        return code.capitalize()
    from babel.dates import get_day_names

    return str(get_day_names("abbreviated", locale=lang)[WEEKDAY_CODES.index(code)]).capitalize()


def weekday_list(codes: list[str] | tuple[str, ...]) -> str:
    """Days in running text: 'Mon, Wed and Fri'; in Spanish 'lunes, miércoles y viernes'."""
    lang = i18n.active()
    if lang == i18n.DEFAULT:
        names = [code.capitalize() for code in codes]
    else:
        from babel.dates import get_day_names

        wide = get_day_names("wide", locale=lang)
        names = [str(wide[WEEKDAY_CODES.index(c)]) if c in WEEKDAY_CODES else c for c in codes]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + i18n.gettext(" and ") + names[-1]


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_month(day: date, *, year: bool = False) -> str:
    """'5 Jan' (or '5 Jan 2026'), whatever the machine's locale; in Spanish '5 ene'."""
    lang = i18n.active()
    if lang == i18n.DEFAULT:
        label = f"{day.day} {_MONTHS[day.month - 1]}"
        return f"{label} {day.year}" if year else label
    from babel.dates import format_date

    return str(format_date(day, "d MMM y" if year else "d MMM", locale=lang))


def day_month_time(moment: datetime, *, day_only: bool = False) -> str:
    """'7 Dec 12:15' for a table, in the machine's time zone; '7 dic 12:15' in Spanish. With
    `day_only` (a walk logged for a day, not a moment), '7 Dec'."""
    local = moment.astimezone()
    day = day_month(local.date())
    return day if day_only else f"{day} {local:%H:%M}"


def day_month_year(day: date) -> str:
    """'6 Dec 2026'; in Spanish '6 dic 2026'."""
    return day_month(day, year=True)
