"""Storage: SQLAlchemy models, engines, transactions and packaged Alembic migrations.

Knows tables, not rules. Only luoshi.services opens transactions (`Database.write()` /
`Database.read()`); web and CLI never see a Session.
"""

from luoshi.storage import supervision_models  # noqa: F401  (its tables join Base.metadata)
from luoshi.storage.db import Database, make_engine
from luoshi.storage.migrate import current_revision, head_revision, upgrade

__all__ = ["Database", "current_revision", "head_revision", "make_engine", "upgrade"]
