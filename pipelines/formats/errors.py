"""The one exception every format reader raises for a file it cannot or will not read."""

from __future__ import annotations


class Rejected(Exception):
    """A file that is not read, with a reason code (rejected_files.reason) and a message that says why, true to the
    file. `media_type` is what the file was recognised as, where that is known."""

    def __init__(self, reason: str, detail: str, media_type: str = "") -> None:
        super().__init__(detail)
        self.reason, self.detail, self.media_type = reason, detail, media_type
