"""Names people typed render as their own text in Markdown, page HTML and Plotly figures.

Checked with an independent CommonMark parser with GitHub's extensions (tables,
strikethrough, bare links), so a test fails if any name could become a link, an image, raw
HTML or emphasis.
"""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from impact.reports.text import JOINER, html_text, markdown_code, markdown_text, plotly_text
from tests.hostile_names import NAMES

_GFM = MarkdownIt("gfm-like")  # with bare links found (http://…, me@…)
# GitHub's rules (Streamlit's) link a bare domain only after www. (checked below with
# remark's own pattern), not "evil.com" on its own, as linkify's fuzzy rule would.
_GFM.linkify.set({"fuzzy_link": False})
# Tokens that are markup a name must never produce.
_MARKUP = {"link_open", "image", "html_inline", "html_block", "strong_open", "em_open",
           "s_open", "code_inline", "heading_open", "bullet_list_open", "ordered_list_open",
           "blockquote_open", "table_open", "hr", "fence", "code_block"}


def _tokens(markdown: str) -> list:
    out = []
    for token in _GFM.parse(markdown):
        out.append(token)
        out.extend(token.children or ())
    return out


# Streamlit's Markdown (remark-gfm) links bare addresses up after reading the text, escapes
# already gone: its own patterns, run over the text a reader would see.
# Its emoji codes and typographic arrows work the same way.
REMARK_AUTOLINKS = (re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.I),
                     re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)"),
                     re.compile(r":\+1:|:-1:|:[\w-]+:"),
                     re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"))


def rendered_text(markdown: str) -> str:
    """What a reader sees: the text of every inline token, markup refused, nothing that
    Streamlit would turn into a link; invisible word joiners left out."""
    tokens = _tokens(markdown)
    markup = [t.type for t in tokens if t.type in _MARKUP]
    assert not markup, (markdown, markup)
    text = "".join(t.content for t in tokens if t.type == "text")
    for pattern in REMARK_AUTOLINKS:
        assert not pattern.search(text), (markdown, text)
    return text.replace(JOINER, "")


@pytest.mark.parametrize("name", NAMES)
def test_each_hostile_name_reads_as_itself_in_markdown(name):
    assert rendered_text(markdown_text(name)) == name
    assert rendered_text(f"Saved {markdown_text(name)}.csv as upload 3") == \
        f"Saved {name}.csv as upload 3"


def _one_line(text: str) -> str:
    return re.sub(r"[\r\n\t\v\f\u2028\u2029\x85]+", " ", text).strip()


@pytest.mark.parametrize("name", ["1. first", "- item", "+ item", "> quote", "# title",
                                  "---", "***", "1) one", "   - indented", "a\n\n# b",
                                  "tab\there", "| a | b |\n|---|---|", "www.evil.com",
                                  "me@evil.com", "mailto:me@evil.com", "&#91;x&#93;(y)",
                                  ":smile:", "50:100: a", "a -> b", "x -- y", "1 >= 0"])
def test_what_would_start_a_block_or_a_link_is_text(name):
    assert rendered_text(markdown_text(name)) == _one_line(name)


def test_ordinary_sentences_are_left_as_they_are():
    for sentence in ("Saved results.xlsx as upload 3: 120 new, 4 changed, 0 already stored.",
                     "St Mary's C of E Primary (100001)", "Oak Trust / Cohort 2 (2019)",
                     "12:30 on 01/09/2024, 45% of pupils"):
        assert markdown_text(sentence) == sentence


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"))))
def test_any_text_reads_as_itself(text):
    assert rendered_text(markdown_text(text)) == _one_line(text)


@pytest.mark.parametrize("name", [*NAMES, 'a"b\'c', "x\n\n[y](http://evil.example)"])
def test_inside_page_html_a_name_is_text(name):
    escaped = html_text(name)
    assert "<" not in escaped and ">" not in escaped and "\n" not in escaped
    assert html.unescape(escaped) == re.sub(r"\n+", " ", name)


@pytest.mark.parametrize("name", NAMES)
def test_in_a_figure_a_name_has_no_tags_and_reads_as_itself(name):
    escaped = plotly_text(name)
    assert not re.search(r"<\s*(a|b|i|br|span|sub|sup|em|s|u)\b", escaped, re.I)
    assert "%{" not in escaped
    assert html.unescape(escaped) == name


def test_a_command_quoting_names_stays_one_code_span():
    command = markdown_code('python -m impact estimate --cohort "a `b` ``c`` / [x](http://e)"')
    tokens = [t for t in _tokens(command) if t.type not in ("paragraph_open", "paragraph_close",
                                                            "inline")]
    assert [t.type for t in tokens] == ["code_inline"]
    assert tokens[0].content == 'python -m impact estimate --cohort "a `b` ``c`` / [x](http://e)"'
