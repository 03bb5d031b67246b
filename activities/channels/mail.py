"""E-mail over SMTP (aiosmtplib): STARTTLS, credentials from the deployment's secrets.

The notice's key becomes the Message-ID, so a mail system can tell a copy from a new
notice. A refused recipient, a failed login or any other SMTP error reply is a refusal by
the channel; a timeout and a server that cannot be reached are told apart.
"""

import asyncio
import hashlib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib

from activities.channels.message import Answer, Message
from activities.channels.settings import resolve
from domain.notifications import Outcome


def message_id(key: str) -> str:
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@yuqing.notice>"


class MailChannel:
    label = "电子邮件"
    # Mail servers keep every copy they accept: after an interrupted call the mail is
    # not sent again (the office is alerted to check) rather than sent twice.
    takes_key = False

    def __init__(self, name: str, conf) -> None:
        where = f"[notices.channels.{name}]"
        self.conf = conf.model_copy(update={"username": resolve(conf.username, where),
                                            "password": resolve(conf.password, where)})
        self.tls = ssl.create_default_context(cafile=conf.ca_file) if conf.ca_file else None

    def compose(self, message: Message) -> EmailMessage:
        mail = EmailMessage()
        mail["Subject"] = message.headline
        mail["From"] = self.conf.sender
        mail["To"] = ", ".join(message.email)
        mail["Message-ID"] = message_id(message.key)
        mail["Date"] = formatdate(usegmt=True)
        mail["X-Yuqing-Notice"] = message.key
        mail.set_content(message.text)
        return mail

    async def send(self, message: Message) -> Answer:
        conf = self.conf
        try:  # aiosmtplib bounds each command; the whole exchange gets the same bound
            async with asyncio.timeout(conf.timeout_seconds):
                await aiosmtplib.send(
                    self.compose(message), hostname=conf.host, port=conf.port,
                    start_tls=conf.starttls, use_tls=False, tls_context=self.tls,
                    username=conf.username, password=conf.password,
                    timeout=conf.timeout_seconds)
        except (aiosmtplib.SMTPConnectTimeoutError, aiosmtplib.SMTPTimeoutError, TimeoutError):
            return Answer(Outcome.TIMED_OUT, f"{conf.timeout_seconds:g} 秒无应答")
        except (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPServerDisconnected, OSError) as error:
            return Answer(Outcome.UNREACHABLE, type(error).__name__)
        except aiosmtplib.SMTPException as error:
            return Answer(Outcome.REFUSED, str(error)[:120])
        return Answer(Outcome.SENT, "SMTP 250")
