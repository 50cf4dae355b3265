"""A minimal self-contained HTML page: inline CSS, no external assets."""

from __future__ import annotations

import html

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:1.5em;margin-bottom:.2em} h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85em} th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:left}
th{background:#f4f4f4;position:sticky;top:0} td.num{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#666;font-size:.85em} .flex{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}
.badge{display:inline-block;padding:1px 6px;border-radius:3px;background:#eee;font-size:.8em}
.warn{background:#fff3cd} .ok{background:#d4edda}
"""


def page(title: str, body: str, subtitle: str = "") -> str:
    sub = f'<p class="note">{html.escape(subtitle)}</p>' if subtitle else ""
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{CSS}</style></head><body><h1>{html.escape(title)}</h1>{sub}{body}</body></html>\n")


def table(rows: list[dict], numeric: set[str] | None = None) -> str:
    """An HTML table from a list of dicts (same keys)."""
    if not rows:
        return "<p class=\"note\">(none)</p>"
    numeric = numeric or set()
    cols = list(rows[0])
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cols)
    body = []
    for r in rows:
        cells = []
        for c in cols:
            v = r[c]
            if isinstance(v, float):
                v = f"{v:,.1f}"
            elif isinstance(v, int) and not isinstance(v, bool):
                v = f"{v:,}"
            cls = ' class="num"' if c in numeric else ""
            cells.append(f"<td{cls}>{html.escape('' if v is None else str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
