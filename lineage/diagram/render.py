"""SVG and PNG from DOT, by Graphviz's ``dot`` through the ``graphviz`` package. A view is
collapsed before it gets here, so ``dot`` never lays out more than the view's limit of boxes
(150 by default): it cannot hang on a platform-sized graph."""

from __future__ import annotations

import graphviz

from lineage.diagram.view import Format
from lineage.errors import LineageError


class GraphvizMissing(LineageError):
    """Graphviz's ``dot`` is not installed: SVG and PNG cannot be drawn (exit 3)."""

    code = "UNAVAILABLE"
    exit_code = 3


def render(dot_text: str, output: Format) -> bytes:
    """``dot_text`` drawn as ``output`` (SVG or PNG)."""
    try:
        return graphviz.pipe("dot", output.value, dot_text.encode("utf-8"), quiet=True)
    except graphviz.ExecutableNotFound:
        raise GraphvizMissing(
            "Graphviz's `dot` is not installed: SVG and PNG need it "
            "(apt-get install graphviz); mermaid, c4 and dot output do not"
        ) from None
    except graphviz.CalledProcessError as exc:
        stderr = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else ""
        raise LineageError(f"Graphviz could not draw the diagram: {stderr.strip()}") from exc
