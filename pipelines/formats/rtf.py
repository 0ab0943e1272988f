"""RTF: its text. Word and WPS save RTF under a .doc name often, so it is recognised by its `{\\rtf` start.

striprtf is a small maintained RTF-to-text converter that follows the group structure (font tables, stylesheets and
pictures are skipped, not printed) and decodes `\\'xx` escapes in the document's code page (`\\ansicpg936`, GBK,
for Chinese) and `\\uN` escapes. Pictures and embedded objects are counted as unread parts.
"""

from __future__ import annotations

import re

from striprtf.striprtf import rtf_to_text

from pipelines.formats.errors import Rejected
from pipelines.formats.tables import TextBuilder

MEDIA_TYPE = "application/rtf"
_CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")
_PICTURE = re.compile(rb"\\pict\b")
_PICTURE_FALLBACK = re.compile(rb"\\nonshppict\b")  # Word writes each picture twice: once for old readers
_OBJECT = re.compile(rb"\\object\b")


def read_rtf(data: bytes) -> tuple[TextBuilder, str, int]:
    """The text, the code page its bytes are in, and the number of parts not read (pictures, objects)."""
    match = _CODE_PAGE.search(data[:4096])
    encoding = f"cp{match.group(1).decode()}" if match else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "gb18030"
    try:
        text = rtf_to_text(data.decode(encoding, errors="replace"), encoding=encoding, errors="replace")
    except Exception as error:  # striprtf raises plain exceptions on broken group structure
        raise Rejected("damaged", f"The file starts like RTF but its structure is broken ({error}).",
                       MEDIA_TYPE) from None
    builder = TextBuilder()
    for line in text.split("\n"):
        builder.line(line)
    unread = len(_PICTURE.findall(data)) - len(_PICTURE_FALLBACK.findall(data)) + len(_OBJECT.findall(data))
    return builder, encoding, max(unread, 0)
