"""Reading rule files (`pipelines/rules/`) so that a bad row fails loudly: every error names the file and the line.

CSV rows come with their line numbers; a TOML file (the standard library's `tomllib`, which keeps no positions)
comes with a finder of the line each key is written on, so a misspelled key or a bad value can be pointed at.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path


class RuleFileError(ValueError):
    """A rule file that says something the loader cannot take: the message starts with `file:line:`."""

    def __init__(self, path: Path | str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line = Path(path), line


def csv_rows(path: Path, columns: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) of each data row; the named columns must be in the header (the file may hold others)."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in columns if c not in (reader.fieldnames or ())]
        if missing:
            raise RuleFileError(path, 1, f"the header lacks the column(s) {', '.join(missing)}")
        for row in reader:
            if None in row:
                raise RuleFileError(path, reader.line_num, "the row has more cells than the header")
            if any(v is None for v in row.values()):
                raise RuleFileError(path, reader.line_num, "the row has fewer cells than the header")
            yield reader.line_num, row


_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")
_TOML_LINE = re.compile(r"at line (\d+)")


def _key_path(written: str) -> tuple[str, ...]:
    # table headers here are bare dotted names ([variants.high_tech_enterprises]); quoted parts lose their quotes
    return tuple(part.strip().strip("\"'") for part in written.split("."))


class TomlRules:
    """A parsed TOML rule file and the line of each of its keys."""

    def __init__(self, path: Path):
        self.path = path
        text = path.read_text(encoding="utf-8")
        try:
            self.data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            found = _TOML_LINE.search(str(error))
            raise RuleFileError(path, int(found.group(1)) if found else 1, f"not valid TOML: {error}") from None
        self._lines: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), 1):
            header = _TABLE.match(line)
            if header:
                table = _key_path(header.group(1))
                self._lines.setdefault(table, number)
                continue
            key = _KEY.match(line)
            if key:
                self._lines.setdefault((*table, key.group(1).strip("\"'")), number)

    def line_of(self, *keys: str) -> int:
        """The line `keys` (a table path, then a key) is written on, else that of its nearest written parent."""
        for n in range(len(keys), 0, -1):
            if keys[:n] in self._lines:
                return self._lines[keys[:n]]
        return 1

    def error(self, keys: tuple[str, ...], message: str) -> RuleFileError:
        return RuleFileError(self.path, self.line_of(*keys), message)

    def check_keys(self, keys: tuple[str, ...], table: object, allowed: Iterable[str]) -> dict:
        """`table` as a dict whose keys are all `allowed`: a misspelled key is an error, never a dropped rule."""
        if not isinstance(table, dict):
            raise self.error(keys, f"[{'.'.join(keys)}] must be a table")
        allowed = tuple(allowed)
        for key in table:
            if key not in allowed:
                raise self.error((*keys, key), f"unknown key {key!r} in [{'.'.join(keys)}]; "
                                               f"the known ones are {', '.join(allowed)}")
        return table

    def words(self, keys: tuple[str, ...], value: object) -> list[str]:
        """A list of cue words: non-empty strings with no blank or repeated entry."""
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise self.error(keys, f"{'.'.join(keys)} must be a list of words")
        seen: set[str] = set()
        for word in value:
            if not word.strip() or word != word.strip():
                raise self.error(keys, f"{'.'.join(keys)} holds a blank or space-padded word {word!r}")
            if word in seen:
                raise self.error(keys, f"{'.'.join(keys)} lists {word!r} twice")
            seen.add(word)
        return value
