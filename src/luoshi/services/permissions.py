"""Who may do what: the one permission table of luoshi.

Each row is an action and the roles allowed to do it. `scope="department"` means a department
reporter may do it only for its own department's tasks and reports. The services check every
call against this table; the web layer builds its role dependencies and the endpoint × role
tests from the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from luoshi.errors import Forbidden, Unauthenticated

if TYPE_CHECKING:
    from sqlalchemy import Select

# (name, 中文, English). The order is the order shown in the UI.
ROLES: tuple[tuple[str, str, str], ...] = (
    ("admin", "系统管理员", "Administrator"),
    ("planner", "规划人员", "Planner"),
    ("supervisor", "督查人员", "Supervisor"),
    ("reporter", "部门联络员", "Department reporter"),
    ("viewer", "只读用户", "Viewer"),
)
ROLE_NAMES = tuple(name for name, _, _ in ROLES)

EVERYONE = frozenset(ROLE_NAMES)
PLANNERS = frozenset({"admin", "planner"})
OVERSEERS = frozenset({"admin", "planner", "supervisor"})


@dataclass(frozen=True)
class Permission:
    """One row of the permission table."""

    action: str
    roles: frozenset[str]
    scope: str  # "all": any object; "department": reporters only their own department's
    help: str


PERMISSIONS: tuple[Permission, ...] = (
    Permission("plan.read", EVERYONE, "all", "看规划、大纲、版本 read plans, outlines, versions"),
    Permission("plan.import", PLANNERS, "all", "导入规划文件 import a plan document"),
    Permission("plan.edit", PLANNERS, "all", "改大纲节点、移动、拆分 edit, move, split nodes"),
    Permission("plan.publish", PLANNERS, "all", "发布版本、公开设置 publish versions, public page"),
    Permission("indicator.read", EVERYONE, "all", "看指标表、观测值、评估 read indicators"),
    Permission("indicator.edit", PLANNERS, "all", "导入和修改指标、挂接目标 edit indicators"),
    Permission("observation.edit", PLANNERS, "all", "导入和修订观测值 import/revise data"),
    Permission("alignment.read", EVERYONE, "all", "看对标对表结果 read plan alignment"),
    Permission(
        "alignment.review", PLANNERS, "all", "确认或否定对标结果 confirm/reject alignment pairs"
    ),
    Permission("catalog.read", EVERYONE, "all", "看地区和部门 read regions and departments"),
    Permission("catalog.edit", frozenset({"admin"}), "all", "改地区和部门 edit the catalog"),
    Permission("task.read", EVERYONE, "department", "看任务分工 read task assignments"),
    Permission("task.edit", OVERSEERS, "all", "分配和调整任务 assign and change tasks"),
    Permission("report.read", EVERYONE, "department", "看进展报告和佐证 read progress reports"),
    Permission(
        "report.write",
        frozenset({"admin", "reporter"}),
        "department",
        "填报和提交进展 write and submit progress reports",
    ),
    Permission(
        "report.review",
        frozenset({"admin", "supervisor"}),
        "all",
        "审核、退回进展报告 accept or return reports",
    ),
    Permission(
        "audit.read", frozenset({"admin", "supervisor"}), "all", "查审计日志 read the audit log"
    ),
    Permission("user.manage", frozenset({"admin"}), "all", "管理账号 manage accounts"),
    # Allocation (任务分工) and supervision (督查督办): docs/supervision.md.
    Permission("allocation.read", OVERSEERS, "all", "看分工建议和分工表 read allocation"),
    Permission("allocation.edit", PLANNERS, "all", "确认或修改分工 confirm or correct units"),
    Permission("board.read", EVERYONE, "department", "看督办看板和部门考评 read board, scorecards"),
    Permission("milestone.edit", OVERSEERS, "all", "设置阶段节点 set milestones"),
    Permission(
        "milestone.complete",
        frozenset({"admin", "planner", "supervisor", "reporter"}),
        "department",
        "标记节点完成 mark milestones done",
    ),
    Permission("reminder.read", EVERYONE, "department", "看督办单 read reminders"),
    Permission(
        "reminder.issue", frozenset({"admin", "supervisor"}), "all", "下发和办结督办单 issue, close"
    ),
    Permission(
        "reminder.reply", frozenset({"admin", "reporter"}), "department", "答复督办单 reply"
    ),
    Permission("inbox.read", EVERYONE, "all", "看自己的消息、设置邮箱 own inbox and e-mail"),
    # Evaluation reports (评估报告, docs/reports.md): they sum up every department's tasks, so a
    # department reporter, limited to its own department's tasks, does not read them.
    Permission(
        "evaluation_report.read",
        frozenset({"admin", "planner", "supervisor", "viewer"}),
        "all",
        "看评估报告、下载历史报告 read and download evaluation reports",
    ),
    Permission(
        "evaluation_report.edit",
        PLANNERS,
        "all",
        "编辑报告叙述章节、生成报告 edit narrative, generate reports",
    ),
)
BY_ACTION = {p.action: p for p in PERMISSIONS}


def role_allows(role: str, action: str) -> bool:
    """Whether `role` may do `action` at all (ignoring department scope)."""
    return role in BY_ACTION[action].roles


def is_department_scoped(role: str, action: str) -> bool:
    """Whether `role` doing `action` is limited to its own department's objects."""
    return role == "reporter" and BY_ACTION[action].scope == "department"


def scope_to_department(query: Select[Any], actor: Actor, action: str, column: Any) -> Select[Any]:
    """`query` kept to the actor's department (`column`) where `action` is scoped for its role."""
    if is_department_scoped(actor.role, action):
        return query.where(column == actor.department_id)
    return query


def check(actor: Actor | None, action: str, department_id: int | None = None) -> None:
    """Raise Unauthenticated / Forbidden unless `actor` may do `action` (on that department)."""
    if actor is None:
        raise Unauthenticated("请先登录 please sign in")
    if not role_allows(actor.role, action):
        raise Forbidden(f"无权操作 not allowed: {action}", actor.username)
    if (
        department_id is not None
        and is_department_scoped(actor.role, action)
        and department_id != actor.department_id
    ):
        raise Forbidden("只能处理本部门的任务 only your own department's tasks", actor.username)


@dataclass(frozen=True)
class Actor:
    """The person (or the system) a service call acts for."""

    user_id: int | None
    username: str
    role: str
    department_id: int | None = None
    display_name: str = ""


SYSTEM = Actor(None, "system", "admin", None, "系统 system")
