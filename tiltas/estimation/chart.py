"""The estimate over periods as an inline SVG (no script, no external file): coordinates are
computed here, the template only draws them. A table beside it carries the same figures for
screen readers."""

from __future__ import annotations

import math
from dataclasses import dataclass

from tiltas.estimation.selectors import SeriesPoint

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    y_low: float
    y_high: float
    y_observed: float | None  # None: withheld (disclosure control)
    label: str
    point: SeriesPoint


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: list[ChartPoint]
    ticks: list[tuple[float, int]]
    baseline: float
    left: int
    right_edge: int
    line: str


def _nice_top(value: float) -> int:
    if value <= 0:
        return 10
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return int(10 * magnitude)


def chart_build(series: list[SeriesPoint]) -> Chart | None:
    if not series:
        return None
    top = _nice_top(max(max(p.high or p.estimate, p.estimate) for p in series))
    plot_height = HEIGHT - TOP - BOTTOM
    plot_width = WIDTH - LEFT - RIGHT

    def y_of(value: float) -> float:
        return round(TOP + plot_height * (1 - min(value, top) / top), 1)

    step = plot_width / len(series)
    points = [
        ChartPoint(
            x=round(LEFT + step * (index + 0.5), 1),
            y=y_of(point.estimate),
            y_low=y_of(point.low if point.low is not None else point.estimate),
            y_high=y_of(point.high if point.high is not None else point.estimate),
            y_observed=None if point.observed is None else y_of(point.observed),
            label=f"{point.period_start:%Y-%m}",
            point=point,
        )
        for index, point in enumerate(series)
    ]
    ticks = [(y_of(top * share / 4), int(top * share / 4)) for share in range(5)]
    line = " ".join(f"{p.x},{p.y}" for p in points)
    return Chart(WIDTH, HEIGHT, points, ticks, y_of(0), LEFT, WIDTH - RIGHT, line)
