"""Charts as inline SVG: drawn by the report itself, no script, no font, no request outside the file."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH = 640


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open(height: float, title: str) -> str:
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {_number(height)}" width="{WIDTH}" '
            f'height="{_number(height)}" role="img" aria-label="{escape(title)}">'
            f'<title>{escape(title)}</title>')


def progress_bar(value: int, target: int, title: str) -> Markup:
    """Return a bar filled to value/target (at most full), with a tick at the target."""
    share = 0.0 if target <= 0 else min(1.0, max(0.0, value / target))
    inner = WIDTH - 2
    return Markup(
        _open(18, title)
        + f'<rect class="track" x="1" y="3" width="{inner}" height="12" rx="3"/>'
        + f'<rect class="fill" x="1" y="3" width="{_number(inner * share)}" height="12" rx="3"/></svg>')


def grouped_bars(labels: Sequence[str], planned: Sequence[int], posted: Sequence[int],
                 goal: int | None, title: str) -> Markup:
    """Return vertical bars per label: an outlined bar (planned) and a filled one (posted), with an
    optional dashed line at ``goal``."""
    height, top, bottom, left = 180.0, 12.0, 28.0, 32.0
    peak = max([*planned, *posted, goal or 0, 1])
    plot = height - top - bottom
    step = (WIDTH - left - 8) / max(len(labels), 1)
    bar = min(22.0, step / 3)
    parts = [_open(height, title),
             f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{WIDTH - 4}" y2="{height - bottom}"/>',
             f'<text class="tick" x="{left - 4}" y="{top + 4}" text-anchor="end">{peak}</text>',
             f'<text class="tick" x="{left - 4}" y="{height - bottom}" text-anchor="end">0</text>']
    for index, label in enumerate(labels):
        x = left + step * index + step / 2
        for offset, value, css in ((-bar - 1, planned[index], "planned"), (1, posted[index], "posted")):
            h = plot * value / peak
            parts.append(f'<rect class="{css}" x="{_number(x + offset)}" y="{_number(height - bottom - h)}" '
                         f'width="{_number(bar)}" height="{_number(h)}"><title>{escape(label)}: {value}</title></rect>')
        parts.append(f'<text class="tick" x="{_number(x)}" y="{_number(height - bottom + 16)}" '
                     f'text-anchor="middle">{escape(label)}</text>')
    if goal:
        y = height - bottom - plot * goal / peak
        parts.append(f'<line class="goal" x1="{left}" y1="{_number(y)}" x2="{WIDTH - 4}" y2="{_number(y)}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def horizontal_bars(labels: Sequence[str], values: Sequence[int], title: str) -> Markup:
    """Return one horizontal bar per label, its value written at its end."""
    row, left = 24.0, 110.0
    height = row * len(labels) + 8
    peak = max([*values, 1])
    span = WIDTH - left - 60
    parts = [_open(height, title)]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 4 + row * index
        w = span * value / peak
        parts.append(f'<text class="tick" x="{left - 6}" y="{_number(y + 15)}" text-anchor="end">{escape(label)}</text>'
                     f'<rect class="posted" x="{left}" y="{_number(y + 3)}" width="{_number(w)}" height="16"/>'
                     f'<text class="tick" x="{_number(left + w + 4)}" y="{_number(y + 15)}">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def daily_bars(values: Sequence[int], first_label: str, last_label: str, title: str) -> Markup:
    """Return one thin bar per day, with the first and last day written under the axis."""
    height, bottom = 120.0, 20.0
    peak = max([*values, 1])
    step = (WIDTH - 8) / max(len(values), 1)
    parts = [_open(height, title),
             f'<line class="axis" x1="4" y1="{height - bottom}" x2="{WIDTH - 4}" y2="{height - bottom}"/>']
    for index, value in enumerate(values):
        h = (height - bottom - 8) * value / peak
        parts.append(f'<rect class="posted" x="{_number(4 + step * index)}" y="{_number(height - bottom - h)}" '
                     f'width="{_number(max(step - 1, 1))}" height="{_number(h)}"><title>{value}</title></rect>')
    parts.append(f'<text class="tick" x="4" y="{height - 4}">{escape(first_label)}</text>'
                 f'<text class="tick" x="{WIDTH - 4}" y="{height - 4}" text-anchor="end">{escape(last_label)}</text>'
                 f'<text class="tick" x="8" y="12">{peak}</text></svg>')
    return Markup("".join(parts))
