"""HTML as Markdown for Python-Markdown: the text survives, the structure is kept, nothing unsafe passes."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from cmhub.imports.htmlmd import html_to_markdown
from cmhub.imports.wpcontent import autop, prepare
from cmhub.markdown.renderer import Renderer
from cmhub.markdown.targets import LinkContext

RENDERER = Renderer()
SPECIALS = list("ab é🎉#>-+*_`[]{}()!:|=~<&;/\\.19") + ["&amp;", "1. ", "!!! ", "---", "http://x.org", " "]
WORDS = st.lists(st.sampled_from(SPECIALS), min_size=1, max_size=8).map("".join)


def _inline(depth: int = 0) -> st.SearchStrategy[str]:
    text = WORDS.map(lambda t: html.escape(t, quote=False))
    if depth > 1:
        return text
    inner = st.lists(st.deferred(lambda: _inline(depth + 1)), min_size=1, max_size=3).map("".join)
    return st.one_of(text, inner.map(lambda t: f"<strong>{t}</strong>"), inner.map(lambda t: f"<em>{t}</em>"),
                     WORDS.map(lambda t: f"<code>{html.escape(t, quote=False)}</code>"),
                     inner.map(lambda t: f'<a href="https://x.org/a_b">{t}</a>'), st.just("<br>"))


BLOCK = st.one_of(
    st.lists(_inline(), min_size=1, max_size=4).map(lambda parts: f"<p>{''.join(parts)}</p>"),
    st.lists(_inline(), min_size=1, max_size=3).map(lambda parts: "<ul>" + "".join(f"<li>{p}</li>" for p in parts)
                                                    + "</ul>"),
    _inline().map(lambda t: f"<h2>{t}</h2>"),
    _inline().map(lambda t: f"<blockquote><p>{t}</p></blockquote>"),
)


def _text(fragment: str) -> str:
    """Return the words of an HTML fragment, blocks and line breaks apart (as a browser shows them)."""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for element in root.iter("br", "p", "li", "ul", "h2", "blockquote"):
        element.tail = " " + (element.tail or "")
        element.text = " " + (element.text or "") if element.tag != "br" else None
    return " ".join(root.text_content().split())


@settings(max_examples=300, deadline=None)
@given(st.lists(BLOCK, min_size=1, max_size=4).map("\n".join))
def test_the_text_of_any_html_survives_and_only_its_structure_is_written(fragment: str) -> None:
    markdown = html_to_markdown(fragment, lambda url, kind: url)
    rendered = RENDERER.render(markdown, LinkContext("", "/", {}, frozenset())).html
    allowed = {"p", "strong", "em", "code", "a", "br", "ul", "li", "h2", "blockquote"}
    assert set(re.findall(r"</?(\w+)", rendered)) <= allowed, (markdown, rendered)
    assert _text(rendered) == _text(fragment), (markdown, rendered)


def test_scripts_styles_forms_and_comments_are_dropped() -> None:
    markdown = html_to_markdown('<p onclick="x()">Texte<script>alert(1)</script></p><style>p{}</style>'
                                '<form><input></form><!-- secret --><p><a href="javascript:alert(1)">lien</a></p>',
                                lambda url, kind: url)
    assert markdown == "Texte\n\nlien"


def test_tables_stay_html_without_attributes() -> None:
    markdown = html_to_markdown('<table class="x" style="y"><tr><th onclick="z">A</th><td colspan="2">B &amp; '
                                '<a href="javascript:x">c</a> <a href="https://x.org">d</a></td></tr></table>',
                                lambda url, kind: url)
    assert markdown == '<table><tr><th>A</th><td colspan="2">B &amp; <a>c</a> <a href="https://x.org">d</a></td></tr>' \
                       "</table>"


def test_classic_editor_text_gets_its_paragraphs_and_code_keeps_its_blank_lines() -> None:
    assert autop("Un\ndeux\n\n<pre>a\n\nb</pre>\n\nTrois") == "<p>Un<br>\ndeux</p>\n\n<pre>a\n\nb</pre>\n\n<p>Trois</p>"


def test_gallery_and_media_shortcodes() -> None:
    content, unknown = prepare('[gallery ids="1,2"]\n\n[video mp4="https://x.org/wp-content/uploads/v.mp4"][/video]'
                               '\n\n[embed]https://vimeo.com/1[/embed]', {"1": ("https://x.org/1.jpg", "Un"),
                                                                         "2": ("https://x.org/2.jpg", "")})
    markdown = html_to_markdown(content, lambda url, kind: url)
    assert markdown == ("![Un](https://x.org/1.jpg)\n\n![](https://x.org/2.jpg)\n\n"
                        "[▶ v.mp4](https://x.org/wp-content/uploads/v.mp4)\n\n<https://vimeo.com/1>")
    assert unknown == []


def test_a_code_span_holding_a_numeric_reference_without_its_semicolon_keeps_its_text() -> None:
    # found by the property test above: Python-Markdown writes the span `&#1` as "&amp;#1;"
    markdown = html_to_markdown("<h2><code>&amp;#1</code></h2>", lambda url, kind: url)
    rendered = RENDERER.render(markdown, LinkContext("", "/", {}, frozenset())).html
    assert "<code>&amp;#1</code>" in rendered, (markdown, rendered)
