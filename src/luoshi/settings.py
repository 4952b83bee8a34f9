"""One settings object for the whole product, read from LUOSHI_* environment variables.

The fields are the table of settings: name, default and help text. `luoshi settings`, the docs
(docs/settings.md) and a test all read `Settings.model_fields`, so a setting cannot exist without
its help. Build it with `get_settings()`, never at import time.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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


@lru_cache
def get_settings() -> Settings:
    """The settings of this process (cached; tests clear the cache to change them)."""
    return Settings()
