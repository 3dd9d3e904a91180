"""Small HTML tables for notebook display (`_repr_html_`): escaped text, no styles beyond a caption."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape


def html_table(headers: Sequence[str], rows: Iterable[Sequence[object]], caption: str | None = None) -> str:
    """An escaped `<table>`; numbers are right-aligned.

    Parameters
    ----------
    headers : sequence of str
        Column headings.
    rows : iterable of sequences
        Cell values; each is shown with `str()` and escaped.
    caption : str, optional
        A caption above the table.

    Returns
    -------
    str
        HTML text.

    Examples
    --------
    >>> html_table(["a"], [[1]])
    '<table><thead><tr><th>a</th></tr></thead><tbody><tr><td style="text-align:right">1</td></tr></tbody></table>'
    """

    def cell(v: object) -> str:
        align = ' style="text-align:right"' if isinstance(v, (int, float)) and not isinstance(v, bool) else ""
        return f"<td{align}>{escape(str(v))}</td>"

    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(cell(v) for v in row) + "</tr>" for row in rows)
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_heading(title: str, detail: str = "") -> str:
    """A bold title line and a dim detail line."""
    extra = f'<br><span style="opacity:0.7">{escape(detail)}</span>' if detail else ""
    return f"<div><b>{escape(title)}</b>{extra}</div>"
