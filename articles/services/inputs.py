"""Finding and reading input files safely: folders, .txt/.html/.htm files and .zip archives.

Nothing here parses: it yields (name, bytes) or a refusal with its reason, one file at
a time, so memory stays flat however many files a batch holds.
"""
from __future__ import annotations

import lzma
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

TEXT_SUFFIXES = {".txt", ".html", ".htm"}
ZIP_SUFFIX = ".zip"


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 5 * 1024 * 1024
    max_zip_entries: int = 20_000
    max_zip_total_bytes: int = 2 * 1024**3
    max_compression_ratio: float = 100.0


@dataclass(frozen=True)
class InputRef:
    """One input file: a path on disk, or an entry inside a zip archive."""

    name: str  # what reports show: path, or archive.zip/inner/path.txt
    path: Path
    entry: str | None = None
    size: int = 0
    error: str | None = None  # refused before reading
    index: int | None = None  # position in the archive: two entries may share a name


_UNPRINTABLE = re.compile("[\x00\ud800-\udfff]")


def display_name(name: str) -> str:
    """A name every report and database can hold: undecodable bytes of a file name (surrogates) and NUL become
    U+FFFD."""
    return _UNPRINTABLE.sub("\ufffd", name)


@dataclass
class Gathered:
    refs: list[InputRef]
    skipped: int = 0


def gather(paths: list[str | Path], limits: Limits) -> Gathered:
    """Every input under the given paths (folders recursively), in a stable order."""
    out = Gathered(refs=[])
    for raw in paths:
        path = Path(raw)
        if path.is_symlink():
            out.refs.append(InputRef(display_name(str(path)), path, error="symbolic link: not followed"))
        elif path.is_dir():
            try:
                children = sorted(path.rglob("*"))
            except OSError as exc:  # a folder inside that cannot be listed
                out.refs.append(InputRef(display_name(str(path)), path, error=f"cannot list the folder: {exc}"))
                continue
            for child in children:
                if child.is_symlink():
                    out.refs.append(InputRef(display_name(str(child)), child, error="symbolic link: not followed"))
                elif child.is_file():
                    _add_file(child, limits, out)
        elif path.is_file():
            _add_file(path, limits, out, explicit=True)
        else:
            out.refs.append(InputRef(display_name(str(path)), path, error="no such file or folder"))
    return out


def _add_file(path: Path, limits: Limits, out: Gathered, explicit: bool = False) -> None:
    suffix = path.suffix.lower()
    if suffix == ZIP_SUFFIX:
        out.refs.extend(_zip_refs(path, limits, out))
    elif suffix in TEXT_SUFFIXES or explicit:
        try:
            size = path.stat().st_size
        except OSError as exc:
            out.refs.append(InputRef(display_name(str(path)), path, error=f"cannot read: {exc}"))
            return
        error = f"too large: {size} bytes (limit {limits.max_file_bytes})" if size > limits.max_file_bytes else None
        out.refs.append(InputRef(display_name(str(path)), path, size=size, error=error))
    else:
        out.skipped += 1


def _unsafe_entry_name(name: str) -> str | None:
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "absolute or Windows path in archive"
    if any(part == ".." for part in PurePosixPath(name).parts):
        return "path escapes the archive's folder (..)"
    return None


def _zip_refs(path: Path, limits: Limits, out: Gathered) -> Iterator[InputRef]:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        yield InputRef(display_name(str(path)), path, error=f"not a readable zip archive: {exc}")
        return
    if len(infos) > limits.max_zip_entries:
        yield InputRef(display_name(str(path)), path,
                       error=f"zip has {len(infos)} entries (limit {limits.max_zip_entries})")
        return
    total = sum(i.file_size for i in infos)
    if total > limits.max_zip_total_bytes:
        yield InputRef(display_name(str(path)), path,
                       error=f"zip would expand to {total} bytes (limit {limits.max_zip_total_bytes})")
        return
    for index, info in enumerate(infos):
        if info.is_dir():
            continue
        name = display_name(f"{path}/{info.filename}")
        mode = info.external_attr >> 16
        suffix = PurePosixPath(info.filename).suffix.lower()
        if reason := _unsafe_entry_name(info.filename):
            yield InputRef(name, path, info.filename, error=reason)
        elif stat.S_ISLNK(mode):
            yield InputRef(name, path, info.filename, error="symbolic link inside the archive: refused")
        elif suffix == ZIP_SUFFIX:
            yield InputRef(name, path, info.filename, error="archive inside an archive: not extracted")
        elif suffix not in TEXT_SUFFIXES:
            out.skipped += 1
        elif info.file_size > limits.max_file_bytes:
            yield InputRef(name, path, info.filename,
                           error=f"too large: {info.file_size} bytes (limit {limits.max_file_bytes})")
        elif info.compress_size and info.file_size / info.compress_size > limits.max_compression_ratio:
            ratio = info.file_size / info.compress_size
            yield InputRef(name, path, info.filename, error=f"compression ratio {ratio:.0f}:1 looks like a zip bomb")
        else:
            yield InputRef(name, path, info.filename, size=info.file_size, index=index)


def exception_name(exc: BaseException) -> str:
    """IndexError, zlib.error: the type as a reader can look it up."""
    kind = type(exc)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


class ReadRefused(Exception):
    pass


def read(ref: InputRef, limits: Limits, zips: dict[Path, zipfile.ZipFile]) -> bytes:
    """The bytes of one input, never more than the limit (declared sizes can lie)."""
    if ref.error:
        raise ReadRefused(ref.error)
    try:
        if ref.entry is None:
            with ref.path.open("rb") as fh:
                data = fh.read(limits.max_file_bytes + 1)
        else:
            zf = zips.get(ref.path)
            if zf is None:
                zf = zips[ref.path] = zipfile.ZipFile(ref.path)
            with zf.open(zf.infolist()[ref.index] if ref.index is not None else ref.entry) as fh:
                data = fh.read(limits.max_file_bytes + 1)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, lzma.LZMAError, RuntimeError, NotImplementedError,
            ValueError) as exc:
        # A corrupt deflate stream (zlib.error), a truncated entry (EOFError), a bad CRC (BadZipFile)...
        raise ReadRefused(f"cannot read ({exception_name(exc)}): {exc}") from None
    if len(data) > limits.max_file_bytes:
        raise ReadRefused(f"too large: more than {limits.max_file_bytes} bytes")
    return data
