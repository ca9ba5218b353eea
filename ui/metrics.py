"""Prometheus metrics of this process, in the text exposition format (``GET /metrics``).

Counted here without a client library: requests by method, path and status, a latency
histogram, replies by route (fallbacks and handoffs are routes), and replies by language and route. Each worker process
keeps its own counts; Prometheus sums the workers it scrapes.
"""

from __future__ import annotations

import bisect
import threading
from collections import Counter

# Latency bucket bounds in seconds (the histogram's ``le`` labels).
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[tuple[str, str, int]] = Counter()
        self.routes: Counter[str] = Counter()
        self.languages: Counter[tuple[str, str]] = Counter()  # (language, route)
        self.buckets = [0] * (len(BUCKETS) + 1)
        self.latency_sum = 0.0
        self.latency_count = 0

    def observe_request(self, method: str, path: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(method, path, status)] += 1
            self.buckets[bisect.bisect_left(BUCKETS, seconds)] += 1
            self.latency_sum += seconds
            self.latency_count += 1

    def observe_reply(self, route: str, language: str = "en") -> None:
        with self._lock:
            self.routes[route] += 1
            self.languages[(language, route)] += 1

    def render(self) -> str:
        with self._lock:
            lines = [
                "# HELP supportbot_requests_total HTTP requests by method, path and status.",
                "# TYPE supportbot_requests_total counter",
            ]
            for (method, path, status), n in sorted(self.requests.items()):
                lines.append(f'supportbot_requests_total{{method="{method}",path="{path}",status="{status}"}} {n}')
            lines += [
                "# HELP supportbot_request_seconds HTTP request latency.",
                "# TYPE supportbot_request_seconds histogram",
            ]
            total = 0
            for bound, n in zip((*BUCKETS, float("inf")), self.buckets, strict=True):
                total += n
                label = "+Inf" if bound == float("inf") else f"{bound:g}"
                lines.append(f'supportbot_request_seconds_bucket{{le="{label}"}} {total}')
            lines += [
                f"supportbot_request_seconds_sum {self.latency_sum:.6f}",
                f"supportbot_request_seconds_count {self.latency_count}",
                "# HELP supportbot_replies_total Replies by route.",
                "# TYPE supportbot_replies_total counter",
            ]
            lines += [f'supportbot_replies_total{{route="{r}"}} {n}' for r, n in sorted(self.routes.items())]
            lines += [
                "# HELP supportbot_fallbacks_total Replies that said the bot does not know.",
                "# TYPE supportbot_fallbacks_total counter",
                f"supportbot_fallbacks_total {self.routes['fallback']}",
                "# HELP supportbot_handoffs_total Replies in a conversation handed to a person.",
                "# TYPE supportbot_handoffs_total counter",
                f"supportbot_handoffs_total {self.routes['handoff']}",
                "# HELP supportbot_replies_by_language_total Replies by the language they are written in, and route.",
                "# TYPE supportbot_replies_by_language_total counter",
            ]
            lines += [
                f'supportbot_replies_by_language_total{{language="{language}",route="{r}"}} {n}'
                for (language, r), n in sorted(self.languages.items())
            ]
            return "\n".join(lines) + "\n"
