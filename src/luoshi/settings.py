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


@lru_cache
def get_settings() -> Settings:
    """The settings of this process (cached; tests clear the cache to change them)."""
    return Settings()
