"""Inputs for the parser benchmark (``parsers.py``), each a pure function of its size.

    mermaid_edges(n)      a Markdown document: one flowchart block of n links among n/2 ids
    mermaid_boxes(n)      the same with n labelled node declarations (five shapes and kinds)
    c4_folder(n)          n small documents, one Mermaid diagram each, sharing topics,
                          datasets, features and models between documents
    arrow_lines(n)        a plain-text arrow block of n lines: chains, vertical arrows,
                          and 2% of lines with a run of 1,000 spaces in them
    spaced_label_line(n)  one vertical-arrow line with a label, a run of n spaces, a note
    box_border_line(n)    one box border with a title and a run of n box-drawing characters
    arrow_row(n)          above and below rows of n/8 steps, an arrow row of n/8 ``|``
    yaml_spec(n)          a lineage spec of n edges among n/2 nodes

Links go from node ``a`` to ``a + 1`` and ``a + 8``, so every one is distinct.
"""

from __future__ import annotations

WIDE = 1_000
"""The run of spaces in the wide lines of ``arrow_lines``."""
WIDE_EVERY = 200
"""One line in this many of ``arrow_lines`` is wide."""
COLUMN = 8
"""Characters per step in ``arrow_row``."""
_KINDS = ("topic", "job", "dataset", "feature", "model")


def link_ends(n: int) -> list[tuple[int, int]]:
    """``n`` distinct (source, target) node numbers among ``n // 2`` nodes."""
    nodes = max(n // 2, 16)
    return [(i // 2, (i // 2 + 1 + (i % 2) * 7) % nodes) for i in range(n)]


def markdown(body: list[str], title: str = "Platform") -> str:
    prose = f"# {title}\n\nHow data moves through the {title.lower()}.\n\n"
    return prose + "```mermaid\nflowchart LR\n" + "\n".join(body) + "\n```\n"


def mermaid_edges(n: int) -> str:
    return markdown([_mermaid_link(i, a, b) for i, (a, b) in enumerate(link_ends(n))])


def _mermaid_link(i: int, a: int, b: int) -> str:
    if i % 10 == 0:
        return f'    n{a} -->|"feeds {i}"| n{b}'
    if i % 7 == 0:
        return f"    n{a} -.-> n{b}"
    return f"    n{a} --> n{b}"


_BOXES = (
    '[("Kafka topic events.{i}<br/>streaming · sub-second")]',
    '["Flink job enrich-{i}<br/>streaming"]',
    '[("S3 dataset lake-{i}<br/>batch · daily")]',
    '{{{{"Feature store features-{i}"}}}}',
    '(("Model ranker-{i}<br/>freshness: hourly"))',
)


def mermaid_boxes(n: int) -> str:
    return markdown([f"    n{i}" + _BOXES[i % len(_BOXES)].format(i=i) for i in range(n)])


def c4_folder(n: int) -> dict[str, str]:
    """File name to text; a fifth as many topics and datasets as documents, shared."""
    return {f"svc-{i:05d}.md": _service_doc(i, n) for i in range(n)}


def _service_doc(i: int, n: int) -> str:
    pool = max(2, n // 5)
    topic, lake = i % pool, (i * 7 + 3) % pool
    body = [
        f'    IN[("Kafka topic events.{topic}")] --> J["Flink job svc-{i}"]',
        f'    J --> OUT[("S3 dataset lake-{lake}")]',
        f'    J -->|"online features"| F{{{{"Feature store features-{i % 50}"}}}}',
        f'    F --> M(("Model ranker-{i % 25}"))',
    ]
    return markdown(body, title=f"Service {i}")


def arrow_lines(n: int) -> str:
    """``n`` lines in groups of five, a blank line after each group (a new drawing)."""
    lines: list[str] = []
    for i in range(0, n, 5):
        lines.extend(_arrow_group(i)[: n - i])
    return "\n".join(lines)


def _arrow_group(i: int) -> list[str]:
    wide = " " * WIDE
    if i % WIDE_EVERY == 0:
        middle = [f"   ↓ feeds{wide}(async)", f"Store {i}{wide}→ Serve {i}"]
    elif i % WIDE_EVERY == WIDE_EVERY // 2:
        middle = [f"   ↓{wide}↓", f"Store {i} → Serve {i}{wide}"]
    else:
        middle = ["   ↓               ↓", f"[Store {i}]      [Serve {i} (Redis)]"]
    return [f"Ingest {i} → Clean {i} → Train {i}: features", *middle, f"Serve {i} -> Model {i}", ""]


def spaced_label_line(n: int) -> str:
    return f"Ingest → Clean\n   ↓ feeds{' ' * n}(async)\nStore → Serve"


def box_border_line(n: int) -> str:
    return f"┌── Streaming layer {'─' * n}┐\n│ Kafka → Flink │\n└{'─' * 16}┘"


def arrow_row(n: int) -> str:
    count = max(n // COLUMN, 2)
    above = "".join(f"S{j}".ljust(COLUMN) for j in range(count))
    arrows = "".join("|".ljust(COLUMN) for _ in range(count))
    below = "".join(f"T{j}".ljust(COLUMN) for j in range(count))
    return f"{above}\n{arrows}\n{below}"


def yaml_spec(n: int) -> str:
    ends = link_ends(n)
    nodes = 1 + max(max(pair) for pair in ends)
    lines = ["version: 1", "nodes:"]
    lines += [
        f"  - {{id: '{_yaml_id(i)}', name: Node {i}, freshness: hourly, owner: team-{i % 20}}}"
        for i in range(nodes)
    ]
    lines.append("edges:")
    lines += [
        f"  - {{from: '{_yaml_id(a)}', to: '{_yaml_id(b)}', role: serving, label: feeds {i}}}"
        for i, (a, b) in enumerate(ends)
    ]
    return "\n".join(lines) + "\n"


def _yaml_id(i: int) -> str:
    return f"{_KINDS[i % len(_KINDS)]}:n{i}"
