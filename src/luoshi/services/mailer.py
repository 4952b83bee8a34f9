"""Optional e-mail delivery of inbox messages through the SMTP server the settings name.

Without SMTP_HOST there is no mailer and the in-app inbox is the only channel. Messages are
plain UTF-8 text; the connection upgrades with STARTTLS when SMTP_STARTTLS is on and signs in
when SMTP_USER is set. Errors surface as OSError (smtplib's errors are OSErrors), which the
caller records against the message instead of failing the change that caused it.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from luoshi.settings import Settings

TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Mailer:
    """Sends one plain-text message at a time through one SMTP server."""

    host: str
    port: int
    sender: str
    starttls: bool = True
    user: str | None = None
    password: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Mailer | None:
        """The mailer the SMTP_* settings describe, or None when SMTP_HOST is empty."""
        if not settings.smtp_host:
            return None
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_from,
            settings.smtp_starttls,
            settings.smtp_user,
            settings.smtp_password,
        )

    def send(self, to: str, subject: str, body: str) -> None:
        """Send one message to `to`; OSError when the server refuses or cannot be reached."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)
