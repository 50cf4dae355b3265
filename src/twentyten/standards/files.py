"""Reading the files of a standards folder (CSV and YAML) into plain rows, with every
problem of the file's form (columns, encoding, quoting, syntax) as a :class:`StandardsError`.
What the rows mean is checked by :mod:`~twentyten.standards.norms` and
:mod:`~twentyten.standards.catalogue`.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from twentyten.standards.errors import Problems, StandardsError


def read_csv(path: Path, required: tuple[str, ...], known: tuple[str, ...] | None = None) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV as stripped strings with their line numbers (header = 1). A missing or
    unknown column, a row with more fields than the header and a runaway cell are errors
    naming the file and line (all of them at once), never exceptions of the csv module."""
    line = 0  # the last line read
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in required if c not in header]
            if missing:
                raise StandardsError(path, "columns", ",".join(header), f"missing column(s) {', '.join(missing)}", 1)
            unknown = [c for c in header if known is not None and c not in known]
            if unknown:
                raise StandardsError(path, "columns", ",".join(header),
                                     f"unknown column(s) {', '.join(unknown)} (known: {', '.join(known or ())})", 1)
            rows = []
            problems = Problems()
            line = 1
            for row in reader:
                line = reader.line_num
                extra = row.pop(None, None)  # type: ignore[call-overload]
                if extra is not None:
                    fields = [v for v in extra if isinstance(v, str)]
                    problems.add(StandardsError(path, (row.get("key") or "row").strip(), ",".join(fields),
                                                f"row has {len(header) + len(fields)} fields, header has {len(header)} "
                                                "(a comma inside a value needs quotes)", line))
                    continue
                rows.append((line, {(k or "").strip(): (v or "").strip() for k, v in row.items()}))
            problems.raise_any()
            return rows
    except UnicodeDecodeError as exc:
        raise StandardsError(path, "file", path.name, f"not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        limit = csv.field_size_limit()
        why = (f"a cell longer than {limit:,} characters (an unterminated quote?)" if "field limit" in str(exc)
               else f"not a readable CSV ({exc})")
        raise StandardsError(path, "file", path.name, why, line + 1) from None
    except OSError as exc:
        raise StandardsError(path, "file", path.name, f"cannot read ({exc.strerror or exc})") from None


def read_yaml(path: Path) -> Any:
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise StandardsError(path, "file", path.name, f"not valid YAML ({getattr(exc, 'problem', exc)})", line) from None
