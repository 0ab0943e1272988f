"""Read every file under a raw folder, read it by its format (pipelines/formats/), and normalise its text.

Each file gets a `RawFile` row. Readable content becomes one `SourceText` per distinct normalised text; a file that
cannot be read becomes a `RejectedFile` with a reason code, so nothing is skipped silently.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipelines import formats, repair

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RawFile:
    source_file: str
    byte_size: int
    byte_sha256: str  # "" when the bytes were never read (too large, outside the raw folder, unreadable)
    status: str
    text_sha256: str | None
    mtime_ns: int = 0  # with byte_size, what tells an incremental build that a file is unchanged
    media_type: str = ""  # what the content showed it to be (application/pdf, text/html …), "" if never read
    unread_parts: int = 0  # parts present but not read: image-only pages, pictures, charts, embedded objects
    replaced_chars: int = 0  # damaged bytes replaced by U+FFFD, and NUL bytes dropped


@dataclass(frozen=True, slots=True)
class SourceText:
    source_file: str
    source_files: tuple[str, ...]
    encoding: str
    media_type: str
    original_text: str
    text: str
    text_sha256: str
    # The runs of `text` and where each came from in `original_text` (pipelines.repair.to_original reads them).
    text_starts: tuple[int, ...] = (0,)
    original_starts: tuple[int, ...] = (0,)


@dataclass(frozen=True, slots=True)
class RejectedFile:
    source_file: str
    byte_size: int
    reason: str
    detail: str


@dataclass(frozen=True, slots=True)
class _Decoded:
    byte_size: int
    byte_sha256: str
    encoding: str
    media_type: str
    original_text: str
    text: str
    text_sha256: str
    text_starts: tuple[int, ...]
    original_starts: tuple[int, ...]
    unread_parts: int
    replaced_chars: int


class _Rejection(Exception):
    def __init__(self, reason: str, detail: str, byte_size: int = 0, byte_sha256: str = "",
                 media_type: str = "") -> None:
        super().__init__(detail)
        self.reason, self.detail, self.byte_size, self.byte_sha256 = reason, detail, byte_size, byte_sha256
        self.media_type = media_type


def normalise(text: str) -> str:
    """The repaired text (pipelines/repair.py): line ends, pinyin glosses, full-width forms, traditional characters,
    page furniture, hard wraps, layout spaces, numbers split from their units."""
    return repair.repair(text).text


def read_raw_folder(
    raw_dir: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    known: Mapping[str, RawFile] | None = None,
    skip: Callable[[Path], bool] | None = None,
) -> tuple[list[RawFile], list[SourceText], list[RejectedFile]]:
    """Every file under `raw_dir` at once: its rows, its distinct new texts (each naming every file that holds it)
    and its rejections. A build streams the texts instead (FolderReading); this is for callers that want them all."""
    reading = FolderReading(raw_dir, max_bytes, known, skip)
    sources = list(reading.texts())  # a text's later files are known once every file was read
    sources = [dataclasses.replace(source, source_files=reading.names(source.text_sha256)) for source in sources]
    return reading.raw_files, sources, reading.rejected


class FolderReading:
    """One pass over a raw folder that hands out each new text as it is read, so no caller holds every text.

    A file in `known` (the previous build's rows) with the same size and modification time is not read again: its
    row keeps its text hash, and no SourceText is made for it, so a caller that reuses the documents of unchanged
    texts only pays for new and changed files.

    A folder that cannot be listed is a rejected row of its own (its name ends in "/"); the files `known` under it
    keep their rows, so an incremental build keeps their documents until the folder can be read again. `skip` names
    files that are not inputs (the build's own warehouse and lock when they sit inside the raw folder).

    `raw_files` and `rejected` are complete once `texts()` is exhausted; a text's other files (duplicates) may come
    after it, so `names(sha)` is only complete then too."""

    def __init__(self, raw_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES,
                 known: Mapping[str, RawFile] | None = None, skip: Callable[[Path], bool] | None = None) -> None:
        self.root = Path(raw_dir).resolve(strict=True)
        self.max_bytes = max_bytes
        self.known = known or {}
        self.raw_files: list[RawFile] = []
        self.rejected: list[RejectedFile] = []
        self._names_by_sha: dict[str | None, list[str]] = {}
        self._listing = _list_files(self.root, skip)

    @property
    def files_listed(self) -> int:
        return len(self._listing.files)

    def names(self, text_sha256: str) -> tuple[str, ...]:
        """The files holding a text, in the order they were met."""
        return tuple(self._names_by_sha.get(text_sha256, ()))

    def _account(self, row: RawFile) -> None:
        status = "duplicate" if row.text_sha256 in self._names_by_sha else "read"
        self._names_by_sha.setdefault(row.text_sha256, []).append(row.source_file)
        self.raw_files.append(dataclasses.replace(row, status=status))

    def texts(self) -> Iterator[SourceText]:
        """Each distinct text read now, once, when its first file is read (`source_files` names that file only)."""
        known, read_now = self.known, set()
        for name, path, rejection in self._listing.files:
            if rejection is not None:
                self.rejected.append(RejectedFile(name, 0, rejection.reason, rejection.detail))
                self.raw_files.append(RawFile(name, 0, "", "rejected", None, _mtime_ns(path)))
                continue
            previous, mtime_ns = known.get(name), _mtime_ns(path)
            if previous and previous.text_sha256 and (previous.byte_size, previous.mtime_ns) == (_size(path), mtime_ns):
                self._account(previous)
                continue
            try:
                decoded = _read_file(self.root, path, self.max_bytes)
            except _Rejection as rejection:
                self.rejected.append(RejectedFile(name, rejection.byte_size, rejection.reason, rejection.detail))
                self.raw_files.append(RawFile(name, rejection.byte_size, rejection.byte_sha256, "rejected", None,
                                              mtime_ns, rejection.media_type))
                continue
            sha = decoded.text_sha256
            self._account(RawFile(name, decoded.byte_size, decoded.byte_sha256, "read", sha, mtime_ns,
                                  decoded.media_type, decoded.unread_parts, decoded.replaced_chars))
            if sha not in read_now:
                read_now.add(sha)
                yield SourceText(self._names_by_sha[sha][0], (name,), decoded.encoding, decoded.media_type,
                                 decoded.original_text, decoded.text, sha, decoded.text_starts,
                                 decoded.original_starts)
        for folder, reason in self._listing.unreadable_folders:
            # Its files cannot be seen, so they are not gone: the rows an earlier build made for them are kept as
            # they were, and with them their documents and facts.
            kept = [row for name, row in sorted(known.items()) if name.startswith(folder) and row.text_sha256]
            for row in kept:
                self._account(row)
            outcome = (f"the {len(kept)} file(s) an earlier build read there keep their facts until it can be read"
                       if kept else "no earlier facts of files there are kept (none known to this build)")
            self.rejected.append(RejectedFile(
                folder, 0, "unreadable_folder",
                f"The folder could not be listed ({reason}); its files were not read, and {outcome}."))
            self.raw_files.append(RawFile(folder, 0, "", "rejected", None))


def _mtime_ns(path: Path) -> int:
    try:
        return path.lstat().st_mtime_ns
    except OSError:
        return 0


def _size(path: Path) -> int:
    try:
        return path.lstat().st_size
    except OSError:
        return -1


@dataclass(frozen=True, slots=True)
class _Listing:
    files: list[tuple[str, Path, _Rejection | None]]  # name, path, and why it is rejected before being opened
    unreadable_folders: list[tuple[str, str]]  # "name/" and why it could not be listed (the system's words)


def _list_files(root: Path, skip: Callable[[Path], bool] | None = None) -> _Listing:
    """Every file (and every symlink to a directory) under root, sorted by relative POSIX name, and every folder
    that could not be listed."""
    found: list[tuple[str, Path, _Rejection | None]] = []
    unreadable: list[tuple[str, str]] = []

    def folder_error(error: OSError) -> None:  # os.walk would otherwise skip the folder in silence
        name, _ = _readable_name(Path(error.filename).relative_to(root).as_posix())
        unreadable.append((f"{name}/", error.strerror or str(error)))

    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=folder_error):
        here = Path(dirpath)
        # A symlinked directory is never walked: if it points inside root its files are listed under their own
        # names; if it points outside it must be reported, so it is listed like a file.
        linked_dirs = [d for d in dirnames if (here / d).is_symlink() and not _inside(root, here / d)]
        for entry in [*filenames, *linked_dirs]:
            path = here / entry
            if skip is not None and skip(path):
                continue
            name, problem = _readable_name(path.relative_to(root).as_posix())
            found.append((name, path, problem))
    return _Listing(sorted(found, key=lambda f: f[0]), sorted(unreadable))


def _readable_name(name: str) -> tuple[str, _Rejection | None]:
    """The name as text, and why it is rejected when its bytes are not UTF-8. os.walk hands such bytes over as
    lone surrogates, which no table can store: a GBK name (an old zip from Chinese Windows) is shown decoded,
    anything else with its bad bytes escaped (bad\\xff.txt)."""
    raw = os.fsencode(name)
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        shown, read_as = raw.decode("gb18030"), "GBK/GB18030"
    except UnicodeDecodeError:
        shown, read_as = raw.decode("utf-8", errors="backslashreplace"), None
    detail = (f"The file name is not UTF-8; read as {read_as} it is {shown!r}. Rename the file to read it."
              if read_as else "The file name holds bytes that are not UTF-8 (shown escaped). Rename the file to read it.")
    return shown, _Rejection("undecodable_name", detail)


def _inside(root: Path, path: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a symlink loop: Python 3.11 raises RuntimeError, later versions OSError
        return False


def _read_file(root: Path, path: Path, max_bytes: int) -> _Decoded:
    if path.is_symlink():
        try:
            path.resolve(strict=True)
        except (OSError, RuntimeError) as error:
            if isinstance(error, RuntimeError) or getattr(error, "errno", None) == errno.ELOOP:
                raise _Rejection("symlink_loop", "This link leads in a loop back to itself; it was not followed.") \
                    from None
        if not _inside(root, path):
            raise _Rejection("outside_raw_dir", "This is a link to something outside the raw folder; it was not "
                             "followed.")
    try:
        info = path.stat()  # before opening: opening a named pipe would block
        if not stat.S_ISREG(info.st_mode):
            raise _Rejection("unreadable", "This is not a regular file (a directory, device, pipe or socket).")
        if info.st_size > max_bytes:
            raise _Rejection("too_large", f"The file has {info.st_size:,} bytes, more than the limit of "
                             f"{max_bytes:,}; it was not read.", info.st_size)
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise _Rejection("unreadable", f"The file could not be opened or read: {error.strerror or error}.") from None
    if len(data) > max_bytes:  # it grew after the size check
        raise _Rejection("too_large", f"The file grew past the limit of {max_bytes:,} bytes while being read.",
                         len(data))
    return _decode_file(path.name, data)


def _decode_file(name: str, data: bytes) -> _Decoded:
    byte_sha = hashlib.sha256(data).hexdigest()
    size = len(data)
    if not data.strip():
        raise _Rejection("empty", "The file is empty or holds only white space.", size, byte_sha)
    try:
        read = formats.read(name, data)
    except formats.Rejected as rejection:
        raise _Rejection(rejection.reason, rejection.detail, size, byte_sha, rejection.media_type) from None
    if not read.text.strip():
        raise _Rejection("empty", "The file holds no visible text.", size, byte_sha, read.media_type)
    repaired = repair.repair(read.text)
    text = repaired.text
    return _Decoded(size, byte_sha, read.encoding, read.media_type, read.text, text,
                    hashlib.sha256(text.encode("utf-8")).hexdigest(), repaired.text_starts, repaired.original_starts,
                    read.unread_parts, read.replaced_chars)
