"""A signed-in session: whose, how they signed in, since when, and when it lapses.

The app keeps one `SignedIn` per browser session once a password (or the trust's Microsoft or
Google sign-in) has been checked, and on every run looks the account up again in the store, so
a removed account or a changed role takes effect at once. A session lapses after
`config.idle_minutes()` without activity, or `config.session_hours()` after it began, however
active.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from impact import config

IDLE = "idle"
TOO_LONG = "too_long"


@dataclass(frozen=True)
class SignedIn:
    email: str
    via: str  # password | oidc:<provider>
    started: dt.datetime
    seen: dt.datetime

    @classmethod
    def begin(cls, email: str, via: str, now: dt.datetime | None = None,
              started: dt.datetime | None = None) -> SignedIn:
        now = now or dt.datetime.now()
        return cls(email.strip().lower(), via, started or now, now)

    def lapsed(self, now: dt.datetime | None = None) -> str | None:
        """IDLE or TOO_LONG when the session has run out, else None."""
        now = now or dt.datetime.now()
        if now - self.seen > dt.timedelta(minutes=config.idle_minutes()):
            return IDLE
        if now - self.started > dt.timedelta(hours=config.session_hours()):
            return TOO_LONG
        return None

    def touched(self, now: dt.datetime | None = None) -> SignedIn:
        return replace(self, seen=now or dt.datetime.now())


def lapsed_sentence(why: str) -> str:
    """Why someone was signed out, for the sign-in page."""
    if why == IDLE:
        minutes = config.idle_minutes()
        span = f"{minutes:g} minute{'s' if minutes != 1 else ''}"
        return f"You were signed out after {span} without activity. Sign in again to go on."
    hours = config.session_hours()
    return (f"You were signed out because a sign-in lasts at most {hours:g} "
            f"hour{'s' if hours != 1 else ''}. Sign in again to go on.")
