"""Reading a file's bytes as text, by the format its content shows, whatever the file is named.

`read` recognises the format by its first bytes (`%PDF`, a ZIP holding `word/document.xml` or `xl/workbook.xml`,
an OLE2 compound file, `{\\rtf`, a MIME web archive, HTML) and hands it to that format's reader (one module
each); everything else is decoded as text. What cannot or should not be read raises `Rejected` with its reason, so a file of format syntax
(PDF objects, RTF control words, XML, base64) never becomes a "document".
"""

from __future__ import annotations

import io
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import olefile

from pipelines.formats import docx, mht, pdf, rtf, xlsx
from pipelines.formats.errors import Rejected
from pipelines.formats.html import is_html, read_html
from pipelines.formats.tables import Table, TextBuilder
from pipelines.formats.text import decode, reject_format_syntax

__all__ = ["Read", "Rejected", "read"]

_RULES = tomllib.loads((Path(__file__).parents[1] / "rules" / "formats.toml").read_text("utf-8"))
_PDF_WINDOW = _RULES["sniff"]["pdf_header_window"]
_BINARY = [(bytes.fromhex(magic), what) for magic, what in _RULES["sniff"]["binary_signatures"]]
_ZIP_FORMATS = _RULES["zip"]["members"]
_ZIP_UNSUPPORTED = _RULES["zip"]["unsupported_members"]
_OLE2_STREAMS = _RULES["ole2"]["streams"]
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_RTF_START = b"{\\rtf"


@dataclass(frozen=True, slots=True)
class Read:
    text: str  # the file's text as read, before normalising; tables as `| cell | cell |` rows
    media_type: str
    encoding: str  # the text encoding of the bytes; "" where the format stores Unicode itself (PDF, DOCX, XLSX)
    unread_parts: int = 0  # image-only pages, pictures, charts, embedded objects: present but not read
    replaced_chars: int = 0  # bytes that did not decode (now U+FFFD) and NUL bytes dropped
    pages: int = 0  # of a PDF
    tables: tuple[Table, ...] = ()  # the table blocks, with each cell's offsets in `text`


def read(name: str, data: bytes) -> Read:
    """The file's text by its format, or `Rejected`. A reader library that fails on a malformed file rejects that
    file as `damaged`; it never stops the build."""
    try:
        return _read_format(name, data)
    except Rejected:
        raise
    except Exception as error:  # noqa: BLE001 - any failure of a third-party reader on one file's bytes
        raise Rejected("damaged", f"The file's reader failed on it ({type(error).__name__}: {error}); it was not "
                       "read.", _media_type(data)) from None


def _media_type(data: bytes) -> str:
    if b"%PDF-" in data[:_PDF_WINDOW]:
        return pdf.MEDIA_TYPE
    if data.startswith(_ZIP_MAGIC):
        return "application/zip"
    if data.startswith(_OLE2_MAGIC):
        return "application/x-ole-storage"
    if data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(_RTF_START):
        return rtf.MEDIA_TYPE
    return mht.MEDIA_TYPE if mht.is_mht(data) else ""


def _read_format(name: str, data: bytes) -> Read:
    kind = _media_type(data)
    if kind == pdf.MEDIA_TYPE:
        builder, pages, image_pages = pdf.read_pdf(data[data.index(b"%PDF-"):])
        return _read(builder, pdf.MEDIA_TYPE, "", image_pages, pages=pages)
    if kind == "application/zip":
        return _read_zip(data)
    if kind == "application/x-ole-storage":
        _reject_ole2(data)
    for magic, what in _BINARY:
        if data.startswith(magic):
            raise Rejected("binary", f"The file is {what}, not a report.")
    if kind == rtf.MEDIA_TYPE:
        builder, encoding, unread = rtf.read_rtf(data)
        return _read(builder, rtf.MEDIA_TYPE, encoding, unread)
    if kind == mht.MEDIA_TYPE:
        page, kind, unread = mht.read_mht(data)
        builder, embedded = read_html(page) if kind == "text/html" else (TextBuilder(), 0)
        if kind == "text/plain":
            for line in page.split("\n"):
                builder.line(line)
        return _read(builder, mht.MEDIA_TYPE, "", unread + embedded)
    decoded = decode(data)
    if is_html(name, decoded.text):
        builder, embedded = read_html(decoded.text)
        return _read(builder, "text/html", decoded.encoding, embedded, decoded.replaced_chars)
    reject_format_syntax(decoded.text)
    return Read(decoded.text, "text/plain", decoded.encoding, 0, decoded.replaced_chars)


def _read(builder: TextBuilder, media_type: str, encoding: str, unread: int, replaced: int = 0,
          pages: int = 0) -> Read:
    return Read(builder.text(), media_type, encoding, unread, replaced, pages, tuple(builder.tables))


def _read_zip(data: bytes) -> Read:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile as error:
        raise Rejected("damaged", f"The file starts like a ZIP archive but cannot be opened ({error}).",
                       "application/zip") from None
    for member, media_type, kind in _ZIP_FORMATS:
        if member in names:
            builder, unread = (docx.read_docx if kind == "docx" else xlsx.read_xlsx)(data)
            return _read(builder, media_type, "", unread)
    for member, what, advice in _ZIP_UNSUPPORTED:
        if member in names:
            raise Rejected("unsupported_format", f"The file is {what}, which is not read here; {advice}.",
                           "application/zip")
    raise Rejected("archive", f"The file is a ZIP archive of {len(names)} file(s); it is not unpacked here: unpack "
                   "it into the raw folder so that each report in it is read.", "application/zip")


def _reject_ole2(data: bytes) -> None:
    media_type = "application/x-ole-storage"
    try:
        with olefile.OleFileIO(data) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except OSError as error:
        raise Rejected("damaged", f"The file starts like an OLE2 (legacy Office) file but cannot be opened "
                       f"({error}).", media_type) from None
    for stream, what, advice in _OLE2_STREAMS:
        if stream in streams:
            raise Rejected("unsupported_format", f"The file is {what}, which is not read here; {advice}.",
                           media_type)
    raise Rejected("unsupported_format", "The file is an OLE2 compound file (a legacy Office format) of no kind "
                   "read here; save it as .docx, .xlsx or PDF.", media_type)
