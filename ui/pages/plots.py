"""The console's analytics figures as inline SVG (matplotlib, imported only when drawing)."""

from __future__ import annotations

import io
import threading
import time

from bot import Activity, SupportDesk
from ui.pages.console import language_name


class Plots:
    """The analytics figures and their drawing, made at most every ``ttl`` seconds per period."""

    def __init__(self, desk: SupportDesk, ttl: float = 30.0) -> None:
        self.desk = desk
        self.ttl = ttl
        self._lock = threading.Lock()
        self._cache: dict[int, tuple[float, Activity, str]] = {}

    def get(self, days: int) -> tuple[Activity, str]:
        """The figures of the last ``days`` days and their plots as an ``<svg>`` element."""
        with self._lock:
            cached = self._cache.get(days)
            if cached is None or time.monotonic() - cached[0] > self.ttl:
                figures = self.desk.activity(days)
                cached = (time.monotonic(), figures, draw(figures))
                self._cache[days] = cached
            return cached[1], cached[2]


def draw(figures: Activity) -> str:
    """Four panels: conversations and messages per day, replies by route, conversations and
    messages by language, thumbs up and down."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    days = [d[5:] for d in figures.days]
    fig, (daily, routes, spoken, thumbs) = plt.subplots(
        1, 4, figsize=(15, 3.6), gridspec_kw={"width_ratios": [2.4, 1.4, 1.1, 0.8]}, constrained_layout=True
    )
    daily.plot(days, figures.messages, marker="o", ms=3, label="customer messages", color="#0969da")
    daily.bar(days, figures.conversations, label="conversations started", color="#8c959f", alpha=0.6)
    daily.set_title("Per day")
    daily.legend(loc="upper left", fontsize=8)
    daily.tick_params(axis="x", labelrotation=60, labelsize=7)
    daily.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(12))
    route_names = list(figures.routes) or ["(none yet)"]
    route_counts = list(figures.routes.values()) or [0]
    routes.barh(route_names[::-1], route_counts[::-1], color="#1f883d")
    routes.set_title(f"Replies by route ({figures.replies})")
    names = [language_name(row.language) for row in figures.languages] or ["(none yet)"]
    places = range(len(names))
    spoken.bar(
        [p - 0.2 for p in places],
        [row.conversations for row in figures.languages] or [0],
        width=0.4,
        label="conversations",
        color="#8c959f",
    )
    spoken.bar([p + 0.2 for p in places], [row.messages for row in figures.languages] or [0], width=0.4,
               label="customer messages", color="#0969da")  # fmt: skip
    spoken.set_xticks(list(places), names)
    spoken.set_title("By language")
    spoken.legend(loc="upper right", fontsize=8)
    thumbs.bar(["up", "down"], [figures.thumbs_up, figures.thumbs_down], color=["#1f883d", "#cf222e"])
    thumbs.set_title("Thumbs")
    for ax in (daily, spoken, thumbs):
        ax.set_ylim(bottom=0, top=max(1.0, ax.get_ylim()[1]))
        ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    routes.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    for ax in (daily, routes, spoken, thumbs):
        ax.spines[["top", "right"]].set_visible(False)
    out = io.StringIO()
    fig.savefig(out, format="svg")
    plt.close(fig)
    svg = out.getvalue()
    return svg[svg.index("<svg") :]
