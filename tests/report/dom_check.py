"""Parse report HTML into its figures: id -> (number of <svg> elements, number of drawn paths)."""

from __future__ import annotations

from html.parser import HTMLParser

FIGURE_IDS = (
    "fig-outcomes",
    "fig-milestones",
    "fig-outcome-timelines",
    "fig-risk-source",
    "fig-risk-actor",
    "fig-knobs",
    "fig-prep-mitigation",
)
COMPARE_FIGURE_IDS = (*FIGURE_IDS, "fig-differences")


class _FigureParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.figures: dict[str, dict[str, int]] = {}
        self.current: str | None = None
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "figure" and a.get("id"):
            self.current, self.depth = a["id"], 0
            self.figures[self.current] = {"svg": 0, "img": 0, "path": 0}
        if self.current is not None:
            if tag == "figure":
                self.depth += 1
            if tag in ("svg", "img", "path"):
                self.figures[self.current][tag] += 1

    def handle_endtag(self, tag: str) -> None:
        if self.current is not None and tag == "figure":
            self.depth -= 1
            if self.depth == 0:
                self.current = None


def figures_in(html: str) -> dict[str, dict[str, int]]:
    """{figure id: counts of svg/img/path elements inside it}."""
    parser = _FigureParser()
    parser.feed(html)
    return parser.figures
