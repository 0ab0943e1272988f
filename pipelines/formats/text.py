"""Bytes to text: byte-order marks, UTF-8, the Chinese legacy encodings, and damaged bytes.

A report with a few bad bytes (a stray 0xFF, a last character cut off, NUL bytes, GBK lines pasted into a UTF-8
file) is read, not rejected: undecodable bytes become U+FFFD and are counted, NULs are dropped and counted, and a
file of mixed encodings is decoded line by line. Only bytes that do not decode as text nearly everywhere (the share
is `max_replaced_share` in ingest_rules.toml) are rejected as `undecodable`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from pipelines.formats.errors import Rejected

_RULES = tomllib.loads((Path(__file__).parents[1] / "rules" / "ingest_rules.toml").read_text("utf-8"))["decode"]
_FORMATS = tomllib.loads((Path(__file__).parents[1] / "rules" / "formats.toml").read_text("utf-8"))["text"]

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# charset-normalizer names GB2312/GBK text by the narrowest code page; GB18030 decodes all of them.
_ENCODING_NAMES = {"gb2312": "gb18030", "gbk": "gb18030", "utf_16": "utf-16", "utf_32": "utf-32"}
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\x0c\r\x1b")
_REPLACEMENT = "\ufffd"
_SYNTAX_STARTS = [(re.compile(r"\s*" + pattern, re.IGNORECASE), what, advice)
                  for pattern, what, advice in _FORMATS["syntax_starts"]]
_BASE64_LINE = re.compile(_FORMATS["base64_line"])
_CJK = re.compile(r"[\u3400-\u9fff]")
MIN_SENSIBLE_SHARE = _RULES["min_sensible_share"]


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # "utf-8+gb18030" when lines of both encodings are mixed
    replaced_chars: int  # bytes that did not decode (each became U+FFFD) plus NUL bytes dropped


def decode(data: bytes) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data.decode(encoding, errors="replace")
            return _checked(Decoded(text, encoding, text.count(_REPLACEMENT)), len(text))
    if b"\x00" in data[:65536] and (utf16 := _utf16_without_bom(data)) is not None:
        return _checked(utf16, len(utf16.text))
    nuls = data.count(b"\x00")
    if nuls > _RULES["max_nul_share"] * len(data):
        raise Rejected("binary", "The file holds binary data (NUL bytes), not text.")
    if nuls:
        data = data.replace(b"\x00", b"")  # a few NULs are damage: dropped and counted
    head = data[:65536]
    control_bytes = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if control_bytes > _RULES["max_control_byte_share"] * len(head):
        raise Rejected("binary", "The file holds binary data (control bytes), not text.")
    try:  # the common case, and far cheaper than anything below
        return Decoded(data.decode("utf-8"), "utf-8", nuls)
    except UnicodeDecodeError:
        pass
    decoded = _decode_lines(data)
    return _checked(Decoded(decoded.text, decoded.encoding, decoded.replaced_chars + nuls), len(decoded.text))


def reject_format_syntax(text: str) -> None:
    """Plain text that is a format's syntax (Word/Excel 2003 XML, other XML, base64) is no report: rejected with
    the reason."""
    for pattern, what, advice in _SYNTAX_STARTS:
        if pattern.match(text):
            raise Rejected("unsupported_format", f"This is {what}, not a report text; {advice}.")
    if _CJK.search(text, 0, 4096):
        return  # base64 holds no Chinese: a report text is not scanned line by line
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and sum(1 for line in lines if _BASE64_LINE.match(line)) >= _FORMATS["base64_line_share"] * len(lines):
        raise Rejected("unsupported_format", "This text is base64-encoded data, not a report text.")


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 text without a byte-order mark: NULs in every other byte (the high half of ASCII characters)."""
    head = data[:65536]
    even, odd = head[0::2].count(b"\x00"), head[1::2].count(b"\x00")
    encoding = "utf-16-le" if odd > 4 * even + 8 else "utf-16-be" if even > 4 * odd + 8 else None
    if encoding is None or max(even, odd) < _RULES["max_nul_share"] * len(head):
        return None
    text = data.decode(encoding, errors="replace")
    if sensible_share(text) < _RULES["min_sensible_share"]:
        return None
    return Decoded(text, encoding, text.count(_REPLACEMENT))


def _decode_lines(data: bytes) -> Decoded:
    """Each line as UTF-8 where it is UTF-8; a line that is not is decoded both as UTF-8 (with replacement) and in
    the legacy encoding detected on such lines, and the decoding that reads less oddly is kept. A UTF-8 line with a
    bad byte stays UTF-8; GBK lines pasted into a UTF-8 file, or the reverse, each come out right."""
    lines = data.split(b"\n")
    foreign = [line for line in lines if not _is_utf8(line)]
    legacy = _legacy_encoding(b"\n".join(foreign))
    common = "gb2312" if legacy == "gb18030" else legacy  # the characters ordinary text of that encoding uses
    pieces, replaced, used = [], 0, set()
    for line in lines:
        as_utf8 = line.decode("utf-8", errors="replace")
        bad = as_utf8.count(_REPLACEMENT)
        if bad:
            as_legacy = line.decode(legacy, errors="replace")
            if _oddness(as_legacy, common) < _oddness(as_utf8, "gb2312"):
                pieces.append(as_legacy)
                replaced += as_legacy.count(_REPLACEMENT)
                used.add(legacy)
                continue
        pieces.append(as_utf8)
        replaced += bad
        if not line.isascii():
            used.add("utf-8")
    encoding = "+".join(e for e in ("utf-8", legacy) if e in used) or legacy
    return Decoded("\n".join(pieces), encoding, replaced)


def _oddness(text: str, common: str) -> int:
    """How unlike ordinary text a decoding is: replaced characters, characters that are no Chinese, ASCII or
    punctuation (GBK read as UTF-8 gives Latin and Cyrillic letters), and rare ideographs (UTF-8 read as GBK gives
    the rare ones of GBK's extension, outside GB2312)."""
    return sum(1 for ch in text if ch == _REPLACEMENT or not _is_sensible(ch) or (ch >= "\u3400" and not
                                                                               _encodable(ch, common)))


def _encodable(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _legacy_encoding(data: bytes) -> str:
    best = charset_normalizer.from_bytes(data, cp_isolation=_RULES["candidate_encodings"]).best()
    encoding = _ENCODING_NAMES.get(best.encoding, best.encoding) if best is not None else "gb18030"
    return "gb18030" if encoding in ("utf-16", "utf-32") else encoding  # those were handled by their NULs


def _checked(decoded: Decoded, length: int) -> Decoded:
    share = decoded.replaced_chars / length if length else 1.0
    if share > _RULES["max_replaced_share"]:
        raise Rejected("undecodable", f"{share:.0%} of the file's characters do not decode as {decoded.encoding} "
                       f"(at most {_RULES['max_replaced_share']:.0%} may be damaged); it is not readable text.")
    sensible = sensible_share(decoded.text)
    if sensible < _RULES["min_sensible_share"]:
        raise Rejected("undecodable", f"Decoded as {decoded.encoding}, only {sensible:.0%} of the characters are "
                       f"Chinese, ASCII or common punctuation; no text encoding makes it readable text.")
    return decoded


def sensible_share(text: str) -> float:
    sensible = sum(1 for ch in text if _is_sensible(ch))
    return sensible / len(text) if text else 0.0


def _is_sensible(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x20 <= cp < 0x7F or ch in "\t\n\r\f"
        or 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF  # CJK ideographs
        or 0x3000 <= cp <= 0x303F or 0xFF00 <= cp <= 0xFFEF  # CJK punctuation, full-width forms
        or 0x2000 <= cp <= 0x206F or 0x2460 <= cp <= 0x24FF  # general punctuation, enclosed numbers
        or cp in (0xA0, 0xB7, 0xD7, 0xFEFF, 0xFFFD)  # U+FFFD: counted and limited by max_replaced_share instead
    )
