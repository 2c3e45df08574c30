"""Names people typed, shown as the text they typed: never as Markdown, HTML or a link.

File names, school, partnership and cohort names, upload labels and cell values come from
uploads. Streamlit renders most page text as Markdown and Plotly renders a little HTML in
charts, so a file named `[Re-check your file here](http://evil.example).csv` would become a
live link, `![x](http://evil.example/x.png)` would make every viewer's browser fetch that
address, and `<a href=…>` in a school's name would be a link in a chart. Wherever such text
meets Markdown or HTML it passes through one of these first:

- `markdown_text`: for anything Streamlit renders as Markdown (titles, subheaders, captions,
  `st.markdown`, alerts, labels of radios, badges, expanders, metrics and buttons);
- `html_text`: inside HTML a page writes itself (`st.markdown(..., unsafe_allow_html=True)`);
- `plotly_text`: chart titles, trace names, hover text, annotations, category labels.

Each turns only the characters that could start markup into their literal form, so ordinary
sentences ("Saved results.xlsx as upload 3: 120 new") read, and compare in tests, unchanged;
a bare web or email address, an emoji code or an arrow also gets an invisible word joiner,
since Streamlit turns those into links and symbols whatever the escapes say.
(Select box and multiselect options are plain text in Streamlit: they need none of this.)
"""

from __future__ import annotations

import html
import re
from typing import Any

# Markdown (CommonMark, GitHub's extensions and Streamlit's own): emphasis * _ ~, code `,
# links and images [ ] ( ), raw HTML and autolinks < >, headings #, tables |, maths $,
# directives and icons :name[…] :material/…:, entities &, escapes \, attribute braces { }.
_ALWAYS = set("\\`*_[]<>#|~$&{}!")
# Only where they would start something: a list or quote at the start of the text, a
# Streamlit directive or icon (:red[, :material/) or a scheme (mailto:) after a colon.
_LINE_START = re.compile(r"^(\s*)([-+>=]|\d+[.)])")
_COLON = re.compile(r":(?=[A-Za-z/]|[\w+-]+:)")
# Bare addresses. Streamlit's Markdown turns http://…, www.… and name@host.tld into links
# after it has read the text, so a backslash cannot stop it: an invisible word joiner (U+2060)
# inside the pattern does, and the reader sees the same characters.
# The same goes for emoji codes (:smile:) and Streamlit's arrows and dashes (-> <- <-> --
# >= <= ~= between spaces become single symbols).
JOINER = "\u2060"
_URL = re.compile(r"(?i)(https?)(?=\\?:)|(www)(?=\\?\.)|(@)")
_PAIRS = re.compile(r"(-(?=\\?[->])|<(?=[-=])|>(?==)|~(?==))")
_BREAKS = re.compile(r"[\r\n\t\v\f\u2028\u2029\x85]+")


def _one_line(value: Any) -> str:
    """As text, on one line: a line break would end an HTML block or start a heading."""
    return _BREAKS.sub(" ", "" if value is None else str(value))


def markdown_text(value: Any) -> str:
    """`value` as literal text inside Streamlit Markdown."""
    text = _PAIRS.sub(r"\1" + JOINER, _one_line(value))
    out = "".join("\\" + ch if ch in _ALWAYS else ch for ch in text)
    out = _COLON.sub("\\\\:" + JOINER, out)
    out = _URL.sub(lambda m: ("\\@" if m.group(3) else m.group(0)) + JOINER, out)
    return _LINE_START.sub(lambda m: m.group(1) + "".join(
        "\\" + ch if not ch.isdigit() else ch for ch in m.group(2)), out)


def html_text(value: Any) -> str:
    """`value` as literal text inside HTML a page writes (quotes too, for attributes)."""
    return html.escape(_one_line(value), quote=True)


def plotly_text(value: Any) -> str:
    """`value` as literal text in a Plotly figure: its pseudo-HTML (`<a href>`, `<b>`,
    `<br>`) and entities made inert. Plotly turns `&lt;`, `&gt;`, `&amp;` and numeric
    entities back into the characters, so the person sees exactly what was typed."""
    text = html.escape(_one_line(value), quote=False)
    return text.replace("$", "&#36;").replace("%{", "&#37;{")


def markdown_code(value: Any) -> str:
    """`value` as a Markdown code span, shown exactly (a command to copy that quotes names):
    inside a code span nothing is markup, and the fence is longer than any run of backticks
    in the text, so no name can close it early."""
    text = _one_line(value)
    runs = [len(r) for r in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
