"""Monthly trends drawn on the server as SVG (no script, no CDN); a table beside each chart carries the
same numbers for screen readers and for copying."""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 320, 150, 30, 22, 8


@dataclass
class Series:
    label: str
    values: list[float | None]  # percentages, one per month
    css: str  # the stroke's class in chibo.css


def line_chart(title: str, months: list[str], series: list[Series]) -> SafeString:
    """Percent lines (0–100) over the months; a gap where a month has no figure."""
    n = max(len(months), 1)
    step = (WIDTH - LEFT - 6) / max(n - 1, 1)
    plot_h = HEIGHT - BOTTOM - TOP

    def x(i: int) -> float:
        return round(LEFT + i * step, 1)

    def y(v: float) -> float:
        return round(TOP + plot_h * (1 - min(max(v, 0), 100) / 100), 1)

    grid = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-grid"/><text x="2" y="{}" class="chart-axis">{}</text>',
        ((LEFT, y(v), WIDTH, y(v), y(v) + 3, v) for v in (0, 50, 100)),
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" class="chart-axis" text-anchor="middle">{}</text>',
        ((x(i), HEIGHT - 6, m) for i, m in enumerate(months) if n <= 12 or i % max(n // 6, 1) == 0),
    )
    lines = []
    for s in series:
        runs: list[list[str]] = [[]]
        for i, v in enumerate(s.values):
            if v is None:
                runs.append([])
            else:
                runs[-1].append(f"{x(i)},{y(v)}")
        for run in runs:
            if len(run) > 1:
                lines.append(format_html('<polyline points="{}" class="chart-line {}"/>', " ".join(run), s.css))
            elif run:
                cx, cy = run[0].split(",")
                lines.append(format_html('<circle cx="{}" cy="{}" r="2.5" class="chart-dot {}"/>', cx, cy, s.css))
    legend = format_html_join(" ", '<tspan class="{}">■ {}</tspan>', ((s.css, s.label) for s in series))
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>{}{}{}'
        '<text x="{}" y="{}" class="chart-legend">{}</text></svg>',
        WIDTH,
        HEIGHT + 12,
        title,
        title,
        grid,
        SafeString("".join(lines)),
        labels,
        LEFT,
        HEIGHT + 10,
        legend,
    )


def bar_chart(
    title: str, months: list[str], planned: list[int], held: list[int], labels: tuple[str, str]
) -> SafeString:
    """Meetings planned (light) and held (dark), side by side per month."""
    n = max(len(months), 1)
    top = max([*planned, *held, 1])
    slot = (WIDTH - LEFT - 6) / n
    plot_h = HEIGHT - BOTTOM - TOP
    bars = []
    for i in range(len(months)):
        for j, (value, css) in enumerate(((planned[i], "chart-planned"), (held[i], "chart-held"))):
            h = round(plot_h * value / top, 1)
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" class="{}"/>',
                    round(LEFT + i * slot + j * slot * 0.42 + slot * 0.08, 1),
                    round(TOP + plot_h - h, 1),
                    round(slot * 0.4, 1),
                    h,
                    css,
                )
            )
    axis = format_html_join(
        "",
        '<text x="{}" y="{}" class="chart-axis" text-anchor="middle">{}</text>',
        (
            (round(LEFT + (i + 0.5) * slot, 1), HEIGHT - 6, m)
            for i, m in enumerate(months)
            if n <= 12 or i % max(n // 6, 1) == 0
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>'
        '<text x="2" y="{}" class="chart-axis">{}</text>{}{}'
        '<text x="{}" y="{}" class="chart-legend"><tspan class="chart-planned-t">■ {}</tspan> '
        '<tspan class="chart-held-t">■ {}</tspan></text></svg>',
        WIDTH,
        HEIGHT + 12,
        title,
        title,
        TOP + 4,
        top,
        SafeString("".join(bars)),
        axis,
        LEFT,
        HEIGHT + 10,
        labels[0],
        labels[1],
    )
