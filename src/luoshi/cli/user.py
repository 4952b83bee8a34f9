"""`luoshi user add`: create a local account."""

from __future__ import annotations

import sys

import typer

from luoshi.cli import app
from luoshi.cli.db import open_database
from luoshi.services.permissions import ROLE_NAMES

user_app = typer.Typer(help="账号 Accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
def add(
    username: str = typer.Argument(..., help="用户名 username"),
    role: str = typer.Option(..., help=f"角色 role: {', '.join(ROLE_NAMES)}"),
    department: str | None = typer.Option(
        None, help="部门(联络员必填) department code, required for reporters"
    ),
    display_name: str | None = typer.Option(None, help="显示名称 display name"),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="从标准输入读密码 read the password from stdin"
    ),
) -> None:
    """新增账号 Add an account (the password is asked for, or read from stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("密码 password", hide_input=True, confirmation_prompt=True)
    from luoshi.services import SYSTEM, accounts

    db = open_database()
    try:
        user = accounts.add_user(
            db,
            SYSTEM,
            username,
            password,
            role,
            display_name=display_name,
            department_code=department,
        )
    finally:
        db.dispose()
    typer.echo(f"已创建账号 created {user.username} ({user.role})")
