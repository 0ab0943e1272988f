"""MHT/MHTML: a web page saved with its pictures as one MIME message (IE and WPS "save as single file").

The standard library's `email` package is the maintained MIME reader: it decodes each part's transfer encoding
(quoted-printable, base64) and charset. The page's HTML part is read as HTML; its pictures and other resources are
counted as unread parts.
"""

from __future__ import annotations

import email
import email.policy
import re

from pipelines.formats.errors import Rejected

MEDIA_TYPE = "multipart/related"
_START = re.compile(rb"\s*(?:[\w-]+:[^\n]*\n(?:[ \t][^\n]*\n)*)*?MIME-Version:", re.IGNORECASE)


def is_mht(data: bytes) -> bool:
    """A MIME message: header lines from the first byte, one of them MIME-Version."""
    return _START.match(data[:8192]) is not None


def read_mht(data: bytes) -> tuple[str, str, int]:
    """The page's HTML (or plain text, when it has no HTML part), its media type, and the parts not read."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    page, kind, unread = None, "", 0
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        if page is None and content_type in ("text/html", "text/plain"):
            try:
                page, kind = part.get_content(), content_type
            except (LookupError, ValueError):  # an unknown charset or a broken transfer encoding
                page, kind = part.get_payload(decode=True).decode("gb18030", errors="replace"), content_type
        else:
            unread += 1
    if page is None:
        raise Rejected("unsupported_format", "The file is a MIME message with no HTML or text part; open it in a "
                       "browser and save the page as HTML.", MEDIA_TYPE)
    return page, kind, unread
