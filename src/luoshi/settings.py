"""One settings object for the whole product, read from LUOSHI_* environment variables.

The fields are the table of settings: name, default and help text. `luoshi settings`, the docs
(docs/settings.md) and a test all read `Settings.model_fields`, so a setting cannot exist without
its help. Build it with `get_settings()`, never at import time.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from luoshi.errors import ConfigError

PLACEHOLDER_SECRET = "development-only-insecure-secret-key"


class Settings(BaseSettings):
    """Every setting luoshi reads, with its default and what it does."""

    model_config = SettingsConfigDict(env_prefix="LUOSHI_", extra="ignore")

    env: str = Field(
        "development",
        description="Environment: development, test or production. Production refuses "
        "placeholder secrets.",
    )
    data_dir: Path = Field(
        Path("var"),
        description="Folder for the embedded database, uploaded evidence and generated reports.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL of the database, e.g. postgresql+psycopg://user@host/luoshi. "
        "Empty: the embedded SQLite file DATA_DIR/luoshi.sqlite3.",
    )
    secret_key: str = Field(
        PLACEHOLDER_SECRET,
        description="Key that signs session cookies and CSRF tokens (32+ random characters). "
        "The placeholder default is refused outside development.",
    )
    session_hours: int = Field(12, ge=1, description="How long a sign-in lasts, in hours.")
    cookie_secure: str = Field(
        "auto",
        pattern="^(auto|always|never)$",
        description="Secure flag of the session cookie: auto (when the request came over HTTPS, "
        "including behind a proxy that sets X-Forwarded-Proto), always, or never.",
    )
    login_max_failures: int = Field(
        5,
        ge=1,
        description="Failed sign-ins allowed per account and per client address within "
        "LOGIN_WINDOW_MINUTES before further attempts get HTTP 429.",
    )
    login_window_minutes: int = Field(
        15, ge=1, description="Window of the sign-in rate limit, in minutes."
    )
    max_upload_mb: int = Field(
        20, ge=1, description="Largest accepted upload (documents, tables, evidence), in MB."
    )
    band_expected: float = Field(
        0.10,
        ge=0,
        le=1,
        description="FYP method: for an expected (预期性) indicator, how far achievement progress "
        "may differ from time progress (as a share of the planned change) and still be in_line.",
    )
    band_binding: float = Field(
        0.05,
        ge=0,
        le=1,
        description="FYP method: the same band for a binding (约束性) indicator; narrower, so "
        "binding indicators are judged more strictly.",
    )
    rate_in_step_tolerance: float = Field(
        1.0,
        ge=0,
        description="FYP method: default tolerance in percentage points for rate_in_step "
        "(与经济增长基本同步) when the indicator row gives none.",
    )
    sdg_profile: str = Field(
        "un",
        pattern="^(un|open_sdg)$",
        description="SDG method thresholds: 'un' (UN SDG Progress Chart technical note) or "
        "'open_sdg' (Open SDG progress measure).",
    )
    clock: str | None = Field(
        None,
        description="Fixed current date or time (ISO 8601, e.g. 2027-01-15 or "
        "2027-01-15T09:00+08:00) used instead of the real time by deadlines, reports and the "
        "audit log: for demonstrations and tests. Empty: the real time.",
    )
    timezone: str = Field(
        "Asia/Shanghai",
        description="Time zone in which 'today' is reckoned for deadlines and reports.",
    )
    stall_days: int = Field(
        45,
        ge=1,
        description="Supervision: an open task with no progress report submitted for this many "
        "days (counted from its last report, or from when it was assigned) is stalled.",
    )
    at_risk_days: int = Field(
        30,
        ge=0,
        description="Supervision: an open task due within this many days whose latest report is "
        "below 100% is at risk.",
    )
    at_risk_gap: float = Field(
        0.25,
        ge=0,
        le=1,
        description="Supervision: an open task whose reported percent trails the share of its time "
        "already used by more than this (0.25 = 25 points) is at risk.",
    )
    report_grace_days: int = Field(
        15,
        ge=0,
        description="Supervision: a report for a period (2026-Q1, 2026-H1, 2026-05, 2026) counts "
        "as on time when submitted within this many days after the period ends.",
    )
    smtp_host: str | None = Field(
        None,
        description="SMTP server that delivers inbox messages by e-mail to users who gave an "
        "address. Empty: no e-mail, the in-app inbox only.",
    )
    smtp_port: int = Field(587, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_starttls: bool = Field(
        True, description="Upgrade the SMTP connection with STARTTLS before sending."
    )
    smtp_user: str | None = Field(None, description="SMTP sign-in name (empty: no sign-in).")
    smtp_password: str | None = Field(None, description="SMTP sign-in password.")
    smtp_from: str = Field(
        "luoshi@localhost", description="Sender address of the e-mails luoshi sends."
    )

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        if self.env != "development" and (
            self.secret_key == PLACEHOLDER_SECRET or len(self.secret_key) < 32
        ):
            raise ConfigError(
                "生产或测试环境必须设置 LUOSHI_SECRET_KEY(至少32个随机字符)"
                " set a random secret key of 32+ characters outside development",
                "LUOSHI_SECRET_KEY",
            )
        return self

    def resolved_database_url(self) -> str:
        """DATABASE_URL, or the embedded SQLite file under DATA_DIR."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'luoshi.sqlite3').resolve()}"


@lru_cache
def get_settings() -> Settings:
    """The settings of this process (cached; tests clear the cache to change them)."""
    return Settings()
