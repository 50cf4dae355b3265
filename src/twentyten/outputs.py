"""Output folders written whole or not at all, for every command with ``--out DIR``.

:func:`check_writable` refuses a folder that cannot be written before any work is done;
:func:`write_folder` writes a set of files so that the folder holds the old set or the new
one, never a mix, and never touches a file the run does not write.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


class OutputError(OSError):
    """The output folder cannot be written: one line naming it and the reason."""


def check_writable(out_dir: str | Path) -> None:
    """Refuse (OutputError) an output folder that cannot be written, before any work is done:
    a file in its place, or a folder (or the nearest existing parent) where a probe file
    cannot be created."""
    d = Path(out_dir)
    probe_in = d
    if d.exists():
        if not d.is_dir():
            raise OutputError(f"{d}: exists and is not a folder")
    else:
        probe_in = d.parent
        while not probe_in.exists():
            probe_in = probe_in.parent
        if not probe_in.is_dir():
            raise OutputError(f"{d}: cannot be created: {probe_in} is not a folder")
    try:
        fd, name = tempfile.mkstemp(prefix=".twentyten-probe-", dir=probe_in)
    except OSError as e:
        raise OutputError(f"{d}: cannot write in {probe_in}: {e.strerror or e}") from None
    os.close(fd)
    os.unlink(name)  # our own probe


def write_folder(out_dir: str | Path, texts: Mapping[str, str]) -> list[Path]:
    """Write ``texts`` (file name -> text) into ``out_dir``, whole or not at all.

    The files go into a temporary folder first (inside ``out_dir`` when it exists, else beside
    it). A new ``out_dir`` is then renamed into place in one step; in an existing one each file
    replaces its old version, and if a replacement fails the ones already replaced are put
    back. Nothing else in ``out_dir`` is touched. Returns the paths, in the order of ``texts``.
    """
    d = Path(out_dir)
    check_writable(d)
    names = list(texts)
    exists = d.exists()
    if not exists:
        d.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{d.name}.partial-", dir=d if exists else d.parent))
    try:
        for name in names:
            (tmp / name).write_text(texts[name], encoding="utf-8")
        if not exists:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o777 & ~mask)  # mkdtemp makes it private; a new folder gets the usual mode
            os.rename(tmp, d)
        else:
            _replace_all(tmp, d, names)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)  # our own temporary folder
    return [d / n for n in names]


def _replace_all(tmp: Path, d: Path, names: list[str]) -> None:
    """Move the new files from ``tmp`` into ``d``; on failure put the old ones back."""
    done: list[str] = []
    kept = tmp / ".old"
    kept.mkdir()
    try:
        for name in names:
            if (d / name).exists():
                try:
                    os.link(d / name, kept / name)  # a second name for the old file, to restore it
                except OSError:
                    shutil.copy2(d / name, kept / name)
            os.replace(tmp / name, d / name)
            done.append(name)
    except OSError:
        for name in done:
            if (kept / name).exists():
                os.replace(kept / name, d / name)
            else:
                os.unlink(d / name)  # new in this run, no old version
        raise


def write_file(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then replace: the
    file holds the old content or the new, never a part. On failure the temporary file (ours)
    is removed and the OSError raised; the target is never deleted."""
    target = Path(path).expanduser()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.resolve().parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        give_usual_mode(tmp, target)
        os.replace(tmp, target)
    except BaseException:  # any interruption: remove our temporary file, then re-raise
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def give_usual_mode(tmp: str | Path, target: str | Path) -> None:
    """Give a temporary file (private, as mkstemp makes it) the mode the target will need: the
    old file's mode when it is replaced, else what a plain ``open`` would give (0666 less the
    umask), so an output is as readable as any other file the user writes."""
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    os.chmod(tmp, mode)


__all__ = ["OutputError", "check_writable", "give_usual_mode", "write_file", "write_folder"]
