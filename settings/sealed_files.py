"""Files at rest sealed with the payload keys (封存文件): the outbox's deliveries.

A 交办单 carries the report's content, so a delivery file is the encrypted payload
(AES-256-GCM, ``temporal.codec``) in protobuf JSON, the same shape the codec server
answers; whoever holds the keys reads it (``yuqing outbox``). Files written before
(plain JSON) still read. With the development switch ``YUQING_PLAINTEXT=1`` and no keys,
files stay plain.
"""

import json

from google.protobuf import json_format
from temporalio.api.common.v1 import Payload

from settings.keys import require_keyring
from temporal.codec import ENCODING, EncryptionCodec

PLAIN = b"json/plain"


def _codec() -> EncryptionCodec | None:
    keyring = require_keyring()
    return EncryptionCodec(keyring) if keyring is not None else None


def seal(record: dict) -> str:
    """The record as the text of a file: sealed when keys are configured."""
    text = json.dumps(record, ensure_ascii=False, indent=2, default=str)
    codec = _codec()
    if codec is None:
        return text
    sealed = codec.encrypt(Payload(metadata={"encoding": PLAIN}, data=text.encode("utf-8")))
    return json_format.MessageToJson(sealed)


def unseal(text: str) -> dict:
    """A file's record; raises ValueError when it is sealed with a key not configured here."""
    data = json.loads(text)
    if not (isinstance(data, dict) and "metadata" in data and "data" in data):
        return data  # written in clear (before sealing, or under the development switch)
    payload = json_format.ParseDict(data, Payload())
    if payload.metadata.get("encoding") != ENCODING:
        return json.loads(payload.data)
    codec = _codec()
    if codec is None:
        raise ValueError("文件已加密，但没有配置密钥 (sealed, and no keys are configured)")
    try:
        return json.loads(codec.decrypt(payload).data)
    except ValueError:
        raise
    except Exception:  # tampered, or a key of the same id that is not this one
        raise ValueError("文件无法解密（已被改动或密钥不符）(cannot be decrypted)") from None
