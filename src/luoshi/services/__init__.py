"""The use cases of luoshi: the only place that opens transactions and writes the audit log.

Every function takes the `Database` and the `Actor` it acts for, checks the permission table
(luoshi.services.permissions), and returns plain views (luoshi.services.views), never ORM
rows. A stale `expected_version` raises luoshi.errors.Conflict and changes nothing.
docs/services.md lists the functions.

Modules: accounts (users, sign-in, sessions), plans (outline, versions), indicators (tables,
observations, evaluation), catalog (regions, departments), tasks (assignments, progress
reports, evidence), audit (the log).
"""

from luoshi.services.permissions import SYSTEM, Actor

__all__ = ["SYSTEM", "Actor"]
