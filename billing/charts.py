"""Server-side SVG charts: the same markup in a portal page and in a WeasyPrint PDF.

No script and no external reference in the SVG; the chart scales to its container (viewBox)
and carries a title for screen readers. Pages and PDFs show a data table beside every chart,
so the numbers never live only in the picture.
"""

from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

WIDTH = 640
HEIGHT = 240
MARGIN_LEFT = 56
MARGIN_BOTTOM = 36
MARGIN_TOP = 12
BAR_COLOR = "#1f6f8b"
AXIS_COLOR = "#555555"
GRID_COLOR = "#dddddd"
LABEL_CHAR_WIDTH = 6.5  # the average advance of an 11-unit sans-serif character


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal


def _nice_ceiling(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 times a power of ten at or above `value`: round axis ticks."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    for step in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        ceiling = step.scaleb(exponent)
        if ceiling >= value:
            return ceiling
    return Decimal(10).scaleb(exponent)


def _fitted(label: str, width: float) -> str:
    """The label shortened with an ellipsis to fit `width` units; each bar's tooltip has it all."""
    room = max(int(width / LABEL_CHAR_WIDTH), 3)
    return label if len(label) <= room else label[: room - 1] + "\N{HORIZONTAL ELLIPSIS}"


def _format_tick(value: Decimal) -> str:
    return f"{value.normalize():f}"


def bar_chart_svg(bars: list[Bar], *, title: str, unit: str) -> str:
    """A vertical bar chart of non-negative values, labelled below, with four grid lines."""
    plot_width = WIDTH - MARGIN_LEFT - 8
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    top = _nice_ceiling(max((bar.value for bar in bars), default=Decimal(0)))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title, {chr(34): "&quot;"})}" class="chart" '
        f'font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    for step in range(5):
        tick = top * step / 4
        y = MARGIN_TOP + plot_height - float(tick / top) * plot_height
        parts.append(
            f'<line x1="{MARGIN_LEFT}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}" '
            f'stroke="{GRID_COLOR if step else AXIS_COLOR}"/>'
            f'<text x="{MARGIN_LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" '
            f'fill="{AXIS_COLOR}">{escape(_format_tick(tick))}</text>'
        )
    parts.append(f'<text x="4" y="{MARGIN_TOP + 4}" fill="{AXIS_COLOR}">{escape(unit)}</text>')
    if bars:
        slot = plot_width / len(bars)
        bar_width = max(slot * 0.7, 1)
        # Label every bar when they fit, else every n-th one.
        label_every = max(1, round(len(bars) * 40 / plot_width))
        for index, bar in enumerate(bars):
            height = float(max(bar.value, Decimal(0)) / top) * plot_height
            x = MARGIN_LEFT + index * slot + (slot - bar_width) / 2
            y = MARGIN_TOP + plot_height - height
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_width:.1f}" height="{height:.1f}" '
                f'fill="{BAR_COLOR}"><title>{escape(bar.label)}: '
                f"{escape(_format_tick(bar.value))} {escape(unit)}</title></rect>"
            )
            if index % label_every == 0:
                label = _fitted(bar.label, slot * label_every)
                parts.append(
                    f'<text x="{x + bar_width / 2:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 14}" '
                    f'text-anchor="middle" fill="{AXIS_COLOR}">{escape(label)}</text>'
                )
    parts.append("</svg>")
    return "".join(parts)
