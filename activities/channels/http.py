"""Channels over HTTP (httpx): generic webhook, 钉钉 and 企业微信 group robots, SMS gateway.

Every call is bounded by the channel's ``timeout_seconds``. An HTTP error status, or a
robot's ``errcode`` other than 0, is a refusal by the channel; a timeout and a connection
that cannot be made are told apart, so the record says which.
"""

import asyncio
import base64
import hashlib
import hmac
import logging
import time
from collections.abc import Callable

import httpx

from activities.channels.message import Answer, Message
from activities.channels.settings import resolve
from domain.notifications import Outcome

# httpx logs each request's URL at INFO: a robot's URL carries its key, so never below WARNING
logging.getLogger("httpx").setLevel(logging.WARNING)

Request = tuple[dict, dict, dict]  # JSON body, headers, query parameters


def _webhook(message: Message, conf) -> Request:
    body = {"key": message.key, "incident_id": message.incident_id,
            "kind": message.kind.value, "kind_label": message.kind.label,
            "urgency": message.urgency.value, "recipient_id": message.recipient_id,
            "recipient": message.recipient, "subject": message.subject, "body": message.body}
    return body, {"Idempotency-Key": message.key}, {}


def _dingtalk(message: Message, conf) -> Request:
    body = {"msgtype": "markdown",
            "markdown": {"title": message.headline[:64],
                         "text": message.text.replace("\n", "\n\n")},
            "at": {"atMobiles": message.phone, "isAtAll": False}}
    return body, {}, dingtalk_signature(conf.secret, time.time()) if conf.secret else {}


def dingtalk_signature(secret: str, now: float) -> dict:
    """钉钉加签: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64."""
    timestamp = str(round(now * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return {"timestamp": timestamp, "sign": base64.b64encode(digest).decode()}


def _wecom(message: Message, conf) -> Request:
    body = {"msgtype": "text", "text": {"content": message.text,
                                        "mentioned_mobile_list": message.phone}}
    return body, {}, {}


def _sms(message: Message, conf) -> Request:
    body = {"to": message.phone, "reference": message.key,
            "content": f"{message.headline}（{message.recipient}）"}
    headers = {"Idempotency-Key": message.key}
    if conf.token:
        headers["Authorization"] = f"Bearer {conf.token}"
    return body, headers, {}


FORMATS: dict[str, tuple[str, Callable[[Message, object], Request], bool]] = {
    # type → label, request, whether the receiver takes an idempotency key
    "webhook": ("Webhook", _webhook, True),
    "dingtalk": ("钉钉", _dingtalk, False),
    "wecom": ("企业微信", _wecom, False),
    "sms": ("短信", _sms, True),
}
ROBOTS = ("dingtalk", "wecom")  # answer 200 with {"errcode": …}


class HttpChannel:
    def __init__(self, name: str, conf) -> None:
        where = f"[notices.channels.{name}]"
        secrets = {"url": resolve(conf.url, where)}
        for field in ("secret", "token"):
            if hasattr(conf, field):
                secrets[field] = resolve(getattr(conf, field), where)
        self.conf = conf.model_copy(update=secrets)
        self.label, self._request, self.takes_key = FORMATS[conf.type]

    async def send(self, message: Message) -> Answer:
        body, headers, params = self._request(message, self.conf)
        try:  # httpx bounds each phase; the whole call gets the same bound
            async with asyncio.timeout(self.conf.timeout_seconds), \
                    httpx.AsyncClient(timeout=self.conf.timeout_seconds) as client:
                url = httpx.URL(self.conf.url).copy_merge_params(params)
                response = await client.post(url, json=body, headers=headers)
        except (httpx.TimeoutException, TimeoutError):
            return Answer(Outcome.TIMED_OUT, f"{self.conf.timeout_seconds:g} 秒无应答")
        except httpx.HTTPError as error:
            return Answer(Outcome.UNREACHABLE, type(error).__name__)
        if response.status_code >= 400:
            return Answer(Outcome.REFUSED, f"HTTP {response.status_code}")
        if self.conf.type in ROBOTS:
            return _robot_answer(response)
        return Answer(Outcome.SENT, f"HTTP {response.status_code}")


def _robot_answer(response: httpx.Response) -> Answer:
    try:
        answer = response.json()
        code = answer.get("errcode", -1)
    except (ValueError, AttributeError):
        return Answer(Outcome.REFUSED, "应答不是 JSON")
    if code != 0:
        return Answer(Outcome.REFUSED, f"errcode {code} {str(answer.get('errmsg', ''))[:80]}")
    return Answer(Outcome.SENT)


def http_channel(name: str, conf) -> HttpChannel:
    return HttpChannel(name, conf)
