"""Charts as inline SVG, drawn on the server: no script, no external asset, no network.

Every chart carries its figures as text too (the tables beside it, or its own labels), and a
colour always comes with a shape and a word, so the report reads in black and white and for a
colour-blind reader. Coordinates are written with one decimal, so the same figures give the same
bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

COLOURS = {
    "green": "#1a7f37",
    "yellow": "#d4a000",
    "red": "#c62828",
    "no_data": "#757575",
}
INK = "#222"
GRID = "#bbb"
BUDGET = "#9fb3c8"
FAVOURABLE = "#2e6f9e"
UNFAVOURABLE = "#c62828"
# Text inside a chart: attributes, as a stylesheet may not reach into an SVG.
TEXT = 'font-size="10" font-family="DejaVu Sans, sans-serif"'


def _f(value: float) -> str:
    return f"{value:.1f}"


def status_symbol(status: str, title: str, size: int = 11) -> str:
    """A filled shape per colour: circle (green), triangle (yellow), square (red), ring (none)."""
    c, s, h = COLOURS.get(status, COLOURS["no_data"]), size, size / 2
    if status == "green":
        shape = f'<circle cx="{_f(h)}" cy="{_f(h)}" r="{_f(h - 0.5)}" fill="{c}"/>'
    elif status == "yellow":
        shape = f'<polygon points="{_f(h)},0.5 {_f(s - 0.5)},{_f(s - 0.5)} 0.5,{_f(s - 0.5)}" fill="{c}" stroke="#7a5c00" stroke-width="0.6"/>'  # noqa: E501
    elif status == "red":
        shape = f'<rect x="0.5" y="0.5" width="{_f(s - 1)}" height="{_f(s - 1)}" fill="{c}"/>'
    else:
        shape = f'<circle cx="{_f(h)}" cy="{_f(h)}" r="{_f(h - 1.5)}" fill="none" stroke="{c}" stroke-width="1.5"/>'  # noqa: E501
    return (
        f'<svg class="symbol" width="{s}" height="{s}" viewBox="0 0 {s} {s}" role="img" '
        f'aria-label="{escape(title)}">{shape}</svg>'
    )


def sparkline(
    points: Sequence[tuple[float | None, float | None]], width: int = 84, height: int = 24
) -> str:
    """Outcome to date per month (solid, the last month marked) against the expected level to
    date (dashed): the target pro-rated over the months so far."""
    values = [v for pair in points for v in pair if v is not None]
    if len(points) < 1 or not values:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or abs(high) or 1.0
    low, high = low - span * 0.08, high + span * 0.08
    step = (width - 6) / max(len(points) - 1, 1)

    def xy(i: int, v: float) -> str:
        y = height - 3 - (v - low) / (high - low) * (height - 6)
        return f"{_f(3 + i * step)},{_f(y)}"

    def line(index: int, style: str) -> str:
        runs: list[list[str]] = [[]]
        for i, pair in enumerate(points):
            if pair[index] is None:
                runs.append([])
            else:
                runs[-1].append(xy(i, pair[index]))  # type: ignore[arg-type]
        return "".join(
            f'<polyline points="{" ".join(run)}" fill="none" {style}/>' for run in runs if run
        )

    expected = line(1, f'stroke="{GRID}" stroke-width="1.2" stroke-dasharray="3,2"')
    actual = line(0, f'stroke="{INK}" stroke-width="1.4"')
    last = next(((i, p[0]) for i, p in reversed(list(enumerate(points))) if p[0] is not None), None)
    dot = ""
    if last is not None:
        x, y = xy(*last).split(",")
        dot = f'<circle cx="{x}" cy="{y}" r="2" fill="{INK}"/>'
    return (
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-hidden="true">{expected}{actual}{dot}</svg>'
    )


def status_bar(counts: Sequence[tuple[str, int]], width: int = 160, height: int = 12) -> str:
    """One bar split by colour in proportion to the counts (the summary's small bar)."""
    total = sum(n for _, n in counts)
    if not total:
        return ""
    x, parts = 0.0, []
    for status, n in counts:
        w = width * n / total
        if w:
            parts.append(
                f'<rect x="{_f(x)}" y="0" width="{_f(w)}" height="{height}" '
                f'fill="{COLOURS[status]}" stroke="#fff" stroke-width="1"/>'
            )
        x += w
    return (
        f'<svg class="bar" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-hidden="true">{"".join(parts)}</svg>'
    )


def deviation_bars(rows: Sequence[tuple[str, float, str]], width: int = 640) -> str:
    """Horizontal bars around a zero line: favourable (positive) to the right in blue,
    unfavourable to the left in red with a hatch; each bar labelled with its figure."""
    if not rows:
        return ""
    row_h, label_w, value_w = 18, 210, 70
    plot_w = width - label_w - value_w
    top = max(abs(v) for _, v, _ in rows) or 1.0
    has_negative = any(v < 0 for _, v, _ in rows)
    has_positive = any(v > 0 for _, v, _ in rows)
    zero = label_w + (
        plot_w / 2 if has_negative and has_positive else 0 if not has_negative else plot_w
    )
    scale = (plot_w / 2 if has_negative and has_positive else plot_w) / top
    height = row_h * len(rows) + 6
    parts = [
        '<defs><pattern id="hatch" width="4" height="4" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="4" height="4" fill="#e8a0a0"/>'
        f'<line x1="0" y1="0" x2="0" y2="4" stroke="{UNFAVOURABLE}" stroke-width="2"/>'
        "</pattern></defs>"
    ]
    for i, (name, value, text) in enumerate(rows):
        y = 3 + i * row_h
        w = abs(value) * scale
        x = zero if value >= 0 else zero - w
        fill = FAVOURABLE if value >= 0 else "url(#hatch)"
        parts.append(
            f'<text x="{label_w - 6}" y="{_f(y + 12)}" text-anchor="end" {TEXT}>'
            f"{escape(_clip(name, 34))}</text>"
            f'<rect x="{_f(x)}" y="{_f(y + 2)}" width="{_f(max(w, 0.5))}" height="{row_h - 6}" '
            f'fill="{fill}" stroke="{INK}" stroke-width="0.4"/>'
            f'<text x="{width - 4}" y="{_f(y + 12)}" text-anchor="end" {TEXT}>'
            f"{escape(text)}</text>"
        )
    parts.append(
        f'<line x1="{_f(zero)}" y1="0" x2="{_f(zero)}" y2="{height}" stroke="{INK}" '
        'stroke-width="0.8"/>'
    )
    return (
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-hidden="true">{"".join(parts)}</svg>'
    )


def paired_bars(
    rows: Sequence[tuple[str, float | None, float | None, str]],
    legend: tuple[str, str],
    width: int = 640,
) -> str:
    """Per row a budget bar (light, outlined) and a forecast bar (dark) from zero, with the
    forecast's figure; the legend names both."""
    if not rows:
        return ""
    row_h, label_w, value_w = 26, 210, 80
    plot_w = width - label_w - value_w
    top = max([abs(v) for _, a, b, _ in rows for v in (a, b) if v is not None] or [1.0]) or 1.0
    scale = plot_w / top
    height = row_h * len(rows) + 22
    parts = [
        f'<rect x="{label_w}" y="2" width="10" height="8" fill="{BUDGET}" stroke="{INK}" '
        'stroke-width="0.4"/>'
        f'<text x="{label_w + 14}" y="10" {TEXT}>{escape(legend[0])}</text>'
        f'<rect x="{label_w + 150}" y="2" width="10" height="8" fill="{FAVOURABLE}"/>'
        f'<text x="{label_w + 164}" y="10" {TEXT}>{escape(legend[1])}</text>'
    ]
    for i, (name, budget, forecast, text) in enumerate(rows):
        y = 18 + i * row_h
        parts.append(
            f'<text x="{label_w - 6}" y="{_f(y + 14)}" text-anchor="end" {TEXT}>'
            f"{escape(_clip(name, 34))}</text>"
        )
        if budget is not None:
            parts.append(
                f'<rect x="{label_w}" y="{_f(y + 2)}" width="{_f(abs(budget) * scale)}" '
                f'height="9" fill="{BUDGET}" stroke="{INK}" stroke-width="0.4"/>'
            )
        if forecast is not None:
            parts.append(
                f'<rect x="{label_w}" y="{_f(y + 12)}" width="{_f(abs(forecast) * scale)}" '
                f'height="9" fill="{FAVOURABLE}"/>'
            )
        parts.append(
            f'<text x="{width - 4}" y="{_f(y + 14)}" text-anchor="end" {TEXT}>{escape(text)}</text>'
        )
    return (
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-hidden="true">{"".join(parts)}</svg>'
    )


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
