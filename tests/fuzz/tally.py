"""A count of the fuzz cases run in this session, by suite and outcome, for the summary."""

from __future__ import annotations

from collections import Counter

counts: Counter[tuple[str, str]] = Counter()


def count(suite: str, outcome: str = "") -> None:
    """One case of ``suite``; ``outcome`` says how it was answered ("accepted", "refused")."""
    counts[suite, outcome] += 1


def summary() -> list[str]:
    """One line per suite, with its outcomes, and the total."""
    lines = []
    for suite in sorted({suite for suite, _ in counts}):
        outcomes = {o: n for (s, o), n in counts.items() if s == suite and o}
        detail = ", ".join(f"{o} {n}" for o, n in sorted(outcomes.items()))
        total = sum(n for (s, _), n in counts.items() if s == suite)
        lines.append(f"{suite}: {total}" + (f" ({detail})" if detail else ""))
    return [*lines, f"total: {sum(counts.values())}"]
