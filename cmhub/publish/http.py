"""The one way `cmhub publish` and `cmhub interactions` talk to the networks: the standard library's
urllib, with the credentials kept out of every message.

Every failure becomes a ``Failure`` whose text went through ``redact``: the tokens, passwords and
session keys of the run never reach an exception, a log line or a file, even when a server echoes
them. The Authorization header is never sent on to another host after a redirect.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

USER_AGENT = "cmhub (+https://github.com/cmhub)"
MAX_WAIT = 30
"""The longest Retry-After (seconds) a run waits for once; a longer one fails that teaser for this run."""


class Failure(Exception):
    """A request that did not succeed; its message names what failed and never holds a credential."""

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after

    @property
    def refused(self) -> bool:
        """True when the credentials were refused (401, 403): no other teaser of that account can go."""
        return self.status in (401, 403)

    @property
    def rate_limited(self) -> bool:
        """True for a 429: the network asks to wait."""
        return self.status == 429


@dataclass(frozen=True)
class Answer:
    """An HTTP response: status, headers (lower-case names) and body."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        """Return the body as JSON (None when it is not JSON)."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None


@dataclass
class Http:
    """Sends requests, counts them, and redacts ``secrets`` from every failure."""

    secrets: list[str] = field(default_factory=list)
    timeout: float = 20.0
    sleep: Callable[[float], None] = time.sleep
    sent: int = 0
    """How many requests went out (tests count them)."""

    def keep_secret(self, *values: str) -> None:
        """Add values (a token, a password, a session key) to redact from every message."""
        self.secrets.extend(v for v in values if v and len(v) >= 4)

    def redact(self, text: str) -> str:
        """Return ``text`` without any secret (also URL-encoded)."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            for form in {secret, quote(secret, safe=""), quote(secret)}:
                text = text.replace(form, "[redacted]")
        return text

    def call(self, method: str, url: str, *, token: str = "", body: bytes | None = None,
             content_type: str = "", headers: Mapping[str, str] | None = None, what: str = "") -> Answer:
        """Send one request; return any HTTP answer (wait once for a short Retry-After on 429).

        Raises Failure when no answer came (timeout, refused connection, DNS).
        """
        answer = self._send(method, url, token, body, content_type, headers or {}, what)
        if answer.status == 429:
            wait = retry_after(answer.headers.get("retry-after", ""))
            if wait is not None and wait <= MAX_WAIT:
                self.sleep(wait)
                answer = self._send(method, url, token, body, content_type, headers or {}, what)
        return answer

    def json(self, method: str, url: str, *, token: str = "", payload: Any = None, what: str = "",
             ok: Iterable[int] = (200,), headers: Mapping[str, str] | None = None) -> Any:
        """Send JSON (or nothing), return the JSON answer; raise Failure unless the status is in ``ok``."""
        body = None if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
        answer = self.call(method, url, token=token, body=body, content_type="application/json" if body else "",
                           headers=headers, what=what)
        self.check(answer, what, ok)
        return answer.json()

    def check(self, answer: Answer, what: str, ok: Iterable[int] = (200,)) -> None:
        """Raise Failure (redacted) unless the answer's status is in ``ok``."""
        if answer.status in tuple(ok):
            return
        detail = ""
        data = answer.json()
        if isinstance(data, dict):
            detail = " ".join(str(data.get(k)) for k in ("error", "message", "error_description") if data.get(k))
        detail = self.redact(detail)[:200]
        wait = retry_after(answer.headers.get("retry-after", "")) if answer.status == 429 else None
        raise Failure(self.redact(f"{what}: HTTP {answer.status}{f' ({detail})' if detail else ''}"
                                  f"{f', retry after {wait:g} s' if wait is not None else ''}"),
                      status=answer.status, retry_after=wait)

    def _send(self, method: str, url: str, token: str, body: bytes | None, content_type: str,
              headers: Mapping[str, str], what: str) -> Answer:
        request = urllib.request.Request(url, data=body, method=method)
        request.add_header("User-Agent", USER_AGENT)
        request.add_header("Accept", "application/json")
        if content_type:
            request.add_header("Content-Type", content_type)
        for name, value in headers.items():
            request.add_header(name, value)
        if token:  # an unredirected header: never sent on to the host a redirect points at
            request.add_unredirected_header("Authorization", f"Bearer {token}")
        self.sent += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - http(s) only
                return Answer(response.status, _lower(response.headers.items()), response.read())
        except urllib.error.HTTPError as exc:
            with exc:
                return Answer(exc.code, _lower(exc.headers.items()), exc.read())
        except TimeoutError:
            raise Failure(self.redact(f"{what}: no answer within {self.timeout:g} s")) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise Failure(self.redact(f"{what}: could not connect ({reason})")) from None


def retry_after(value: str) -> float | None:
    """Return the seconds a Retry-After header asks to wait (seconds or an HTTP date), or None."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def multipart(fields: Mapping[str, str], files: Mapping[str, tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """Return a multipart/form-data body and its content type; ``files`` maps a field to (name, type, bytes)."""
    boundary = "cmhub-" + "".join(f"{b:02x}" for b in hash_bytes(fields, files))
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                     + value.encode("utf-8") + b"\r\n")
    for name, (filename, kind, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {kind}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def hash_bytes(fields: Mapping[str, str], files: Mapping[str, tuple[str, str, bytes]]) -> bytes:
    """Return 12 bytes that depend on a form's content (a boundary that cannot occur inside it by chance)."""
    digest = hashlib.sha256(repr(sorted(fields.items())).encode())
    for _, (_, _, data) in sorted(files.items()):
        digest.update(data)
    return digest.digest()[:12]


def _lower(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in items}
