"""Every error listingforge raises on purpose.

    ListingforgeError                 base: the CLI prints these without a traceback
    ├── CatalogError                  a file a user gave cannot be read as a catalog (file, row, column, value)
    ├── ConfigError                   an option, rule file or platform name is wrong
    ├── OutputError                   an output cannot be written (read-only or missing folder, full disk,
    │                                 permission denied, a file in use, another run on the same output)
    ├── NotFittedError                a learned component used before ``fit`` / ``load``
    ├── ModelAssetError               model weights missing, incomplete or failing their checksum
    └── BackendError                  a generation backend failed; ``retryable`` says whether to try again
        └── OutputParseError          the backend answered, but not in the asked-for format (raw output kept)

Lower-level errors are mapped where they enter (``raise CatalogError(...) from exc``).
"""

from __future__ import annotations


class ListingforgeError(Exception):
    """Base class: an error a user can act on."""


class CatalogError(ListingforgeError):
    """A catalog file problem, located as precisely as we can."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object | None = None,
    ) -> None:
        self.file, self.row, self.column, self.value = file, row, column, value
        where = [f"file {file}" if file else None, f"row {row}" if row is not None else None,
                 f"column {column!r}" if column else None]
        loc = ", ".join(w for w in where if w)
        shown = ""
        if value is not None:
            text = str(value)
            shown = f" (value: {text[:60]!r}{'…' if len(text) > 60 else ''})"
        super().__init__(f"{loc}: {message}{shown}" if loc else f"{message}{shown}")


class ConfigError(ListingforgeError):
    """A wrong option, platform name or rule file."""


class OutputError(ListingforgeError):
    """An output file or folder cannot be written; nothing half-written is left behind."""


class NotFittedError(ListingforgeError):
    """A learned component was used before it was fitted or loaded."""


class ModelAssetError(ListingforgeError):
    """Model weights are missing or corrupt."""


class BackendError(ListingforgeError):
    """A generation backend failed."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class OutputParseError(BackendError):
    """The model's answer could not be parsed; ``raw`` keeps what it said."""

    def __init__(self, message: str, *, raw: str = "") -> None:
        super().__init__(message, retryable=True)
        self.raw = raw
