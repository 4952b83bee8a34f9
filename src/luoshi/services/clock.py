"""Where the services get "now" and "today": one clock, the real time unless told otherwise.

Deadlines, overdue and stalled rules, report times and the audit log all read this clock, so a
test (or a demonstration, through the CLOCK setting) can put the whole product at another
moment without sleeping or patching. "Today" is reckoned in the TIMEZONE setting, because a
deadline is a date in the city's calendar, not in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from luoshi.errors import ConfigError
from luoshi.settings import Settings, get_settings

# The years a plan, an evaluation or a report may name: earlier or later ones are typos
# (0, 20266), refused with the field named, by the services and on the command line.
PLAUSIBLE_YEARS = (1949, 2100)


class Clock:
    """The current time: real, or fixed at a moment a setting or a test gave it."""

    def __init__(self, fixed: datetime | None = None, zone: str = "Asia/Shanghai") -> None:
        self.zone = ZoneInfo(zone)
        self.fixed: datetime | None = None
        self.set(fixed)

    @classmethod
    def from_settings(cls, settings: Settings) -> Clock:
        """The clock the CLOCK and TIMEZONE settings describe."""
        try:
            clock = cls(zone=settings.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                f"LUOSHI_TIMEZONE 不是时区名 not a time zone name: {settings.timezone}",
                "LUOSHI_TIMEZONE",
            ) from exc
        if settings.clock:
            try:
                clock.set(settings.clock)
            except ValueError as exc:
                raise ConfigError(
                    f"LUOSHI_CLOCK 应为 ISO 日期或时间 must be an ISO date or time: {exc}",
                    "LUOSHI_CLOCK",
                ) from exc
        return clock

    def set(self, when: datetime | date | str | None) -> None:
        """Fix the clock at `when` (a date means its first moment, local time); None: real time."""
        if isinstance(when, str):
            when = datetime.fromisoformat(when) if "T" in when else date.fromisoformat(when)
        if isinstance(when, date) and not isinstance(when, datetime):
            when = datetime.combine(when, time(), self.zone)
        self.fixed = None if when is None else aware(when, self.zone)

    def now(self) -> datetime:
        """The current moment (timezone-aware, UTC)."""
        return self.fixed.astimezone(UTC) if self.fixed else datetime.now(UTC)

    def today(self) -> date:
        """Today's date in the configured time zone."""
        return self.now().astimezone(self.zone).date()

    def local_date(self, moment: datetime) -> date:
        """The date of `moment` in the configured time zone."""
        return aware(moment).astimezone(self.zone).date()


def aware(moment: datetime, zone: ZoneInfo | None = None) -> datetime:
    """`moment` with a time zone; a naive one (as SQLite returns) is taken as UTC or `zone`."""
    return moment if moment.tzinfo else moment.replace(tzinfo=zone or UTC)


_current: Clock | None = None


def clock() -> Clock:
    """The process's clock, built from the settings on first use."""
    global _current
    if _current is None:
        _current = Clock.from_settings(get_settings())
    return _current


def now() -> datetime:
    """The current moment by the process's clock."""
    return clock().now()


def today() -> date:
    """Today's date by the process's clock."""
    return clock().today()
