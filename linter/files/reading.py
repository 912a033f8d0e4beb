"""Reading one file's bytes without hanging and without unbounded memory.

A repository can hold anything under a linted name: a FIFO (opening it for
reading would wait for a writer forever), a device, a socket, a symlink loop,
a file deleted since the directory was listed, a multi-gigabyte dump. The
file is opened without blocking and checked through its open descriptor, so
what is checked is what is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class ReadError(Exception):
    """A file that cannot be read; str() is the one-line reason."""


def read_regular_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file at `path`; ReadError if it is anything else."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise ReadError("is a directory") from None
    except FileNotFoundError:
        raise ReadError("file not found (deleted or a broken link?)") from None
    except PermissionError:
        raise ReadError("permission denied") from None
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise ReadError("is a directory")
            if not stat.S_ISREG(info.st_mode):
                raise ReadError("not a regular file (a FIFO, socket or device), not linted")
            if info.st_size > max_bytes:
                raise ReadError(_too_large(info.st_size, max_bytes))
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise ReadError(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:  # it grew while we read it
        raise ReadError(_too_large(len(data), max_bytes))
    return data


def check_size(size: int, max_bytes: int) -> None:
    """ReadError if `size` bytes (read from a stream) are over the limit."""
    if size > max_bytes:
        raise ReadError(_too_large(size, max_bytes))


def _too_large(size: int, max_bytes: int) -> str:
    return f"file too large ({_megabytes(size)}; the limit is {_megabytes(max_bytes)}), not linted"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
