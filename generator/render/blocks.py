"""HTML written one block element per line, so a diff of a page shows the block that changed."""

from __future__ import annotations

import re

from ..output import RenderedFile

__all__ = ["one_block_per_line"]


# Block elements that start a line of generated HTML, and the containers whose end does, so
# that a diff of two builds (`build --check`, a review) shows the row, item or paragraph
# that changed, not one long line. Only where whitespace cannot change the rendering:
# between table parts, list items, blocks and head elements. A page with preformatted text,
# a text area or inline script or style (a user's template may have them) is left as it is.
_BLOCKS = re.compile(
    rb"<(?:html|head|body|title|meta|link|script|header|footer|main|nav|section|div|form"
    rb"|h[1-6]|p|ul|ol|li|table|caption|thead|tbody|tr)[\s>/]"
    rb"|</(?:head|body|html|header|footer|main|nav|section|div|form|ul|ol|table|thead|tbody)>"
)


_VERBATIM = re.compile(rb"<(?:pre|textarea|style)[\s>]|<script[^>]*>\s*[^<\s]", re.IGNORECASE)


def one_block_per_line(file: RenderedFile) -> RenderedFile:
    """``file`` (HTML) with each block element at the start of a line of its own."""
    data = file.content
    if _VERBATIM.search(data):
        return file
    pieces: list[bytes] = []
    last = 0
    for found in _BLOCKS.finditer(data):
        at = found.start()
        line_start = data.rfind(b"\n", 0, at) + 1
        if data[line_start:at].strip():  # something before it on its line: break there
            pieces += [data[last:at], b"\n"]
            last = at
    pieces.append(data[last:])
    return RenderedFile(file.path, b"".join(pieces), file.inputs)
