"""What a `make load` run records and how it is reported: latency per kind, statuses, server memory."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field


@dataclass
class Outcome:
    latencies_ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (no interpolation: every reported figure is a real request)."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True)
class LatencyRow:
    kind: str
    count: int
    p50: float
    p95: float
    p99: float
    max: float


@dataclass(frozen=True)
class Memory:
    """Server RSS in MB: after the sequential warm-up, after settling, after the load, and the peak."""

    after_warm_up: int
    before_load: int
    after_load: int
    peak: int
    bound: float
    children_peak: int = 0
    """The PDFium worker (sampled 5 times a second: it is restarted after each bomb)."""
    total_peak: int = 0
    """The server and its children together (sampled)."""

    @property
    def growth(self) -> int:
        return self.after_load - self.before_load


@dataclass(frozen=True)
class Summary:
    clients: int
    seconds: float
    requests: int
    latency_ms: list[LatencyRow]
    statuses: dict[int, int]
    unexpected: list[str]
    memory: Memory

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def failed(self) -> bool:
        return bool(self.unexpected) or self.memory.growth > self.memory.bound

    def to_json(self) -> dict[str, object]:
        return {
            **asdict(self),
            "throughput_per_s": round(self.throughput, 2),
            "rss_growth_mb": self.memory.growth,
        }


def latency_rows(outcome: Outcome, kinds: Sequence[str]) -> list[LatencyRow]:
    groups = {**outcome.latencies_ms, "all": [v for values in outcome.latencies_ms.values() for v in values]}
    rows = []
    for kind in (*kinds, "all"):
        values = groups.get(kind) or []
        if values:
            p50, p95, p99 = (percentile(values, share) for share in (0.50, 0.95, 0.99))
            rows.append(LatencyRow(kind, len(values), p50, p95, p99, max(values)))
    return rows


def summarize(
    outcome: Outcome, elapsed: float, clients: int, memory: Memory, kinds: Sequence[str]
) -> Summary:
    return Summary(
        clients=clients,
        seconds=round(elapsed, 1),
        requests=sum(outcome.statuses.values()),
        latency_ms=latency_rows(outcome, kinds),
        statuses=dict(sorted(outcome.statuses.items())),
        unexpected=outcome.unexpected,
        memory=memory,
    )


def print_report(summary: Summary) -> None:
    print(
        f"load: {summary.clients} clients for {summary.seconds} s: {summary.requests} requests, "
        f"{summary.throughput:.1f} per second"
    )
    print(f"{'latency ms':12s}{'count':>7s}{'p50':>9s}{'p95':>9s}{'p99':>9s}{'max':>9s}")
    for row in summary.latency_ms:
        print(f"{row.kind:12s}{row.count:>7d}{row.p50:>9.0f}{row.p95:>9.0f}{row.p99:>9.0f}{row.max:>9.0f}")
    statuses = ", ".join(f"{status}: {count}" for status, count in summary.statuses.items())
    print(f"answers by status: {statuses}; unexpected: {len(summary.unexpected)}")
    for line in summary.unexpected[:20]:
        print(f"  unexpected: {line}")
    memory = summary.memory
    print(
        f"server RSS: {memory.after_warm_up} MB after warm-up, {memory.before_load} MB after settling, "
        f"{memory.after_load} MB after load ({memory.growth:+d} MB, bound {memory.bound:g} MB), "
        f"peak {memory.peak} MB; PDFium worker peak {memory.children_peak} MB, server + worker peak "
        f"{memory.total_peak} MB (sampled)"
    )


def rss(values: dict[str, float], name: str = "VmRSS") -> int:
    return round(values.get(name, 0.0))
