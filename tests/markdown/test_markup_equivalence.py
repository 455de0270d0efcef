"""The fast Renderer renders every body exactly as Markdown with the full extension list does.

Renderer picks, per body, the extensions that body can use, gives headings their ids without
building a table of contents, and skips work Markdown's core would do for nothing
(cmhub/markdown/extensions.py). The reference below is the renderer as it was before: one Markdown with
every extension, Markdown's own processors, and the original summary and plain-text code.
"""

from __future__ import annotations

import html
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from xml.etree.ElementTree import Element

import markdown
import markdown.serializers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.blockprocessors import BlockProcessor
from markupsafe import Markup

from cmhub.markdown import renderer as markup
from cmhub.markdown.extensions import EXTENSION_CONFIGS, EXTENSIONS, HEADING_IDS, _HtmlFormatters, needed_extensions
from cmhub.markdown.links import LinkExtension
from cmhub.markdown.renderer import (
    Rendered,
    Renderer,
    _count_words,
    _markdown,
    html_references,
    img_sources,
    plain_text,
)
from cmhub.markdown.speedups.shortcuts import (
    BLOCK_NEEDS,
    PATTERN_NEEDS,
    STARTS,
    TRIGGERS,
    CoreShortcutsExtension,
    block_kind,
    triggers_in,
)
from cmhub.markdown.targets import LinkContext, LinkTarget

ROOT = Path(__file__).parents[2]
SITES = Path(__file__).parents[1] / "sites"

ARTICLES = {
    "premier.md": LinkTarget("premier/", True),
    "guides/second.md": LinkTarget("2026/10/second/", True),
    "brouillon.md": LinkTarget("brouillon/", False),
}
FILES = frozenset({"images/logo.png", "docs/programme.pdf"})
CONTEXT = LinkContext(source_dir="", base_path="/blog/", articles=ARTICLES, files=FILES)

_SPACE_RE = re.compile(r"[ \t\r\n\f\v]+")
_WORD_RE = re.compile(r"\w+(?:[’'-]\w+)*")


class ReferenceRenderer:
    """Renderer.render as it was before it was made fast: every extension, every body."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=[*EXTENSIONS, LinkExtension()],
                                     extension_configs=EXTENSION_CONFIGS, output_format="html")
        self._links = self._md.treeprocessors["cmhub_links"]

    def render(self, body: str, context: LinkContext | None = None) -> Rendered:
        """Return what Renderer.render returned for ``body``."""
        html_text, files, issues = self._convert(body, context)
        lookups = tuple(sorted(self._links.lookups.items()))
        block = markup._MORE_BLOCK_RE.search(html_text)
        more = markup._more_offset(body) if block is None and markup._MORE_RE.search(html_text) else None
        if block is not None:
            summary_html = html_text[: block.start()]
            html_text = markup._MORE_RE.sub("", html_text)
        elif more is not None:
            excerpt = body[:more] + "\n\n" + markup._definitions(body[more:])
            summary_html = markup._FOOTNOTES_DIV_RE.sub("", self._convert(excerpt, context)[0])
            html_text = markup._MORE_RE.sub("", html_text)
        else:
            first = markup._FIRST_P_RE.search(html_text)
            summary_html = first.group(0) if first else ""
        text = self._plain_text(html_text)
        return Rendered(html=Markup(html_text.strip()), summary_html=Markup(summary_html.strip()),
                        summary_text=self._plain_text(summary_html), words=len(_WORD_RE.findall(text)),
                        files=files, issues=issues, lookups=lookups, pictures=img_sources(html_text.strip()),
                        references=html_references(html_text.strip()))

    def _convert(self, body: str, context: LinkContext | None) -> tuple[str, tuple[str, ...], tuple]:
        self._md.reset()
        self._links.context = context
        self._links.files, self._links.issues, self._links.lookups = [], [], {}
        try:
            html_text = self._md.convert(body)
            return html_text, tuple(dict.fromkeys(self._links.files)), tuple(self._links.issues)
        finally:
            self._links.context = None

    @staticmethod
    def _plain_text(fragment: str) -> str:
        text = markup._TAG_RE.sub("", markup._BLOCK_TAG_RE.sub(" ", fragment))
        return _SPACE_RE.sub(" ", html.unescape(text)).strip()


@pytest.fixture(scope="module")
def renderers() -> tuple[Renderer, ReferenceRenderer]:
    """The fast renderer and the reference, each reused across bodies as the build reuses its renderer."""
    return Renderer(), ReferenceRenderer()


def assert_same(renderers: tuple[Renderer, ReferenceRenderer], body: str,
                context: LinkContext | None = CONTEXT) -> None:
    fast, reference = renderers
    expected = reference.render(body, context)
    assert fast.render(body, context) == expected
    assert fast.render(body, None) == reference.render(body, None)


# Hand-written edge cases: each extension's syntax present, absent, and hidden where a quick test may miss it

EDGE_CASES = {
    "plain": "Un paragraphe **gras**, *italique*, `code` et [un lien](premier.md).\n\n- un\n- deux\n\n1. a\n2. b\n",
    "empty": "",
    "blank-lines": "  \n\n\t\n",
    # footnotes
    "footnote": "Une affirmation[^1].\n\n[^1]: La source, voir [premier](premier.md).\n",
    "footnote-referenced-twice": "A[^n] et B[^n].\n\n[^n]: Note.\n",
    "footnote-undefined": "Texte[^absent] seul.\n",
    "footnote-first-line-colon": "Terme[^1]\n\n[^1]: : pas une définition\n    suite\n",
    "footnote-with-code": "Note[^1].\n\n[^1]: Début.\n\n        code dans la note\n",
    "footnote-in-heading": "## Titre[^1]\n\nTexte.\n\n[^1]: Note.\n",
    "footnote-placeholder-words": "zz1337820767766393qq et qq3936677670287331zz\n",
    "caret-without-footnote": "2^10 = 1024 et [x] ^ [y]\n",
    # tables
    "table": "| Réseau | Limite |\n|:---|---:|\n| `X` | **280** |\n| [l](premier.md) | ![i](images/logo.png) |\n",
    "pipe-not-table": "a | b\n",
    "escaped-pipe": "a \\| b\n",
    # admonitions
    "admonition": '!!! note "Titre"\n    Contenu.\n\n    Suite indentée.\n',
    "admonition-blank-title": '!!! warning ""\n    Sans titre.\n',
    "admonition-in-list": "- item\n\n    !!! note\n        dedans\n",
    "exclamations": "Bravo !!! Vraiment !\n",
    # definition lists
    "def-list": "Terme\n: Définition\n",
    "def-list-loose": "Terme\n\n:   Définition longue\n\n    Suite.\n",
    "def-in-blockquote": "> Terme\n> : déf\n",
    "def-in-list": "- Terme\n  : déf\n- : seule\n",
    "def-in-ordered-list": "1. : déf\n",
    "def-after-raw-html": "<div>x</div>: déf\n",
    "def-after-comment": "Terme\n\n<!-- c -->: déf\n",
    "def-nested": "Terme\n: : imbriqué\n",
    "def-tab": "Terme\n:\tdéf\n",
    "french-colons": "Bientôt : le programme.\n\nNote : rien. Réseaux sociaux : état des lieux\n",
    "colon-first": ": seul au début\n",
    # abbreviations
    "abbr": "Le HTML est partout.\n\n*[HTML]: HyperText Markup Language\n",
    "abbr-in-heading-and-list": "## Le HTML\n\n- du HTML\n\n*[HTML]: Hyper\n",
    "abbr-removed": "HTML\n\n*[HTML]: Hyper\n*[HTML]: ''\n",
    "bold-link": "**[lien](premier.md)** et *[autre](absent.md)*\n",
    # fenced and indented code
    "fenced-backticks": "```python\ndef f():\n    return 1\n```\n",
    "fenced-tildes": "~~~\n<b>brut</b> & co\n~~~\n",
    "fenced-attrs": '```{.python #code hl_lines="1"}\nx = 1\n```\n',
    "fenced-hl-lines": '```python hl_lines="1"\nx = 1\n```\n',
    "fenced-unclosed": "```\nx\n",
    "inline-triple-backticks": "a ```b``` c\n",
    "indented-code": "Texte.\n\n    code indenté\n    <b>&amp;\n",
    "tab-code": "Texte.\n\n\tcode tabulé\n",
    "tab-inline": "a\tb et c\t\nsuite\n",
    "code-in-blockquote": ">     code dans une citation\n",
    "code-in-list": "- item\n\n        code dans la liste\n",
    "three-spaces": "   pas du code\n",
    # attribute lists and heading ids
    "attr-heading-id": "## Titre {#perso}\n\n## Titre\n",
    "attr-heading-class": "## Titre {: .x }\n",
    "attr-id-taken-before": "## Titre\n\n## Autre {#titre}\n",
    "attr-paragraph": "Texte\n{: .lead #intro }\n",
    "attr-link": "[l](https://example.org){: rel=noopener }\n",
    "attr-toc-label": '## Titre {: data-toc-label="Court" }\n',
    "braces-not-attrs": "Un objet {clé: valeur} en texte.\n",
    "headings-duplicate": "## Été\n\n## Été\n\n## Été\n",
    "headings-suffix-taken": "## A_1\n\n## A\n\n## A\n\n## A_1\n",
    "heading-code": "## Le `code` ici\n",
    "heading-link": "## Voir [premier](premier.md) et [brouillon](brouillon.md)\n",
    "heading-entities": "## R&amp;D &copy; &#233; &#x41;\n",
    "heading-raw-characters": "## R&D < x > y\n",
    "heading-ampersand": "## Tom &copy Jerry & co\n",
    "heading-emoji": "## 🎉 Fête\n",
    "heading-accents": "## Écrire à l’été, c'est l'œuvre\n",
    "heading-escapes": "## Titre \\*étoile\\* \\<b\\>\n",
    "heading-html": "## Titre <em>html</em> <!-- note -->\n",
    "heading-empty": "##\n\n## \n\nTexte.\n",
    "heading-no-break-space": "## Titre\u00a0: deux\n",
    "heading-trailing-hashes": "## Titre ##\n",
    "heading-with-tail": "- # Titre\n  suite \\# x\n",
    "heading-abbr-footnote-attr": "## Le HTML[^1] {: .x }\n\n[^1]: n\n\n*[HTML]: Hyper\n",
    "headings-all-levels": "# h1\n## h2\n### h3\n#### h4\n##### h5\n###### h6\n",
    "setext": "Titre\n=====\n\nSous-titre\n---\n",
    "toc-marker": "[TOC]\n\n## Un\n\n## Deux\n",
    "toc-marker-inline": "Voir [TOC] ici.\n",
    "raw-html-heading": "<h2>Brut</h2>\n\n## Brut\n",
    # raw HTML and md_in_html
    "md-in-html": '<div markdown="1">\n## Dedans\n\n*emphase*\n</div>\n',
    "md-in-html-bare": "<div markdown>\nTerme\n: déf\n</div>\n",
    "md-in-html-uppercase": '<DIV MARKDOWN="1">\n*x*\n</DIV>\n',
    "md-in-html-kelvin": '<div mar\u212adown="1">\n*x*\n</div>\n',
    "md-in-html-span": '<p markdown="1">*x* [l](premier.md)</p>\n',
    "md-in-html-attribute-on-next-line": "<div\nmarkdown>\n*x*\n</div>\n",
    "md-in-html-quoted-gt": '<div title="a>b" markdown="1">\n*x*\n</div>\n',
    "md-in-html-after-fence": "<div\n```\na > b\n```\n markdown=1>\n*x*\n</div>\n",
    "md-in-html-second-tag": "<b>x</b>\n\n<div markdown>\n*x*\n</div>\n",
    "markdown-as-a-word": "Le markdown est simple.\n",
    "html-block": "<div>\n*pas de markdown*\n</div>\n\nAprès.\n",
    "html-tag-across-lines": '<div\nclass="x">y</div>\n\nTexte <span\nclass="y">z</span>\n',
    "html-inline": 'Un <span title=">">texte</span> ici.\n',
    "html-hr-mid-line": "a <hr> b\n\n<hr>\n",
    "html-then-text": "<div>x</div> suite <b\n>gras</b>\n",
    "html-tag-broken-after-block": "<p><hr></p><b\n><p>x</p>\n",  # md_in_html's parser differs here
    # the excerpt marker
    "more-between-blocks": "Avant.\n\n<!-- more -->\n\nAprès.\n",
    "more-inline": "Le début <!-- more --> et la suite.\n",
    "more-inline-footnote": "Un chiffre[^src] <!-- more --> suite.\n\n[^src]: Rapport.\n",
    "more-inline-table-after": "Simple <!-- more --> puis un tableau.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "more-inline-reference": "Voir [le site][asso] <!--more--> suite.\n\n[asso]: https://asso.example.org/\n",
    "more-tight-uppercase": "A\n\n<!--MORE-->\n\nB\n",
    "more-in-code": "```\n<!-- more -->\n```\n\nPara.\n",
    # links
    "links": "[a](premier.md) [b](guides/second.md#x) [c](brouillon.md) [d](absent.md) ![e](images/logo.png) "
             "[f](../x.md) [g](docs/programme.pdf) [h](/a-propos/) [i](#ici)\n",
    "reference-links": "[a][1] ![b][img] [premier]\n\n[1]: premier.md\n[img]: images/logo.png\n[premier]: premier.md\n",
    "autolinks": "<https://example.org> et <contact@example.org>\n",
    # inline patterns
    "escapes": "\\*pas\\* \\_emph\\_ \\` \\[x\\] \\\\ \\<b\\> \\&amp; \\# \\!\n",
    "escapes-in-attributes": '[l](a\\_b.md "ti\\*tre") ![i\\*](x\\*.png)\n',
    "entities": "&amp; &copy; &#233; &#x41; & seul\n",
    "line-break": "ligne  \nsuite\n",
    "emphasis": "*a* **b** ***c*** _d_ __e__ snake_case_word a * b ** c\n",
    "underscores": "_d_ __e__ snake_case_word\n",
    "inline-html": "a <b>gras</b> <!-- commentaire --> <?php x ?> c\n",
    "images": '![alt](images/logo.png "titre") ![ref][i]\n\n[i]: images/logo.png\n',
    # what Markdown does to the text before anything else
    "control-characters": "a\x02b\x03c\n\n``\x02`\ncode\n``\x03`\n\nmark\x02down\n",
    "crlf": "Titre\r\n=====\r\n\r\nTexte  \r\nsuite\r\n\r\n    code\r\n\r\nTerme\r\n: déf\r\n",
    "cr-only": "Terme\r: déf\r\r    code\r",
    "space-only-lines": "a\n   \nb\n\n    c\n",
    "one-space-line": "a\n \nb\n",
    "trailing-spaces": "a \nb\t\nc\n",
    # how blocks start: each block is offered only to the processors that may take a block starting so
    "block-starts": "+ plus\n\n* étoile\n\n- tiret\n\n_souligné_ début\n\n___\n\n* * *\n\n- - -\n\n  - décalé\n\n"
                    "   > citation\n\n    > du code\n\n1) pas une liste\n\n1. liste\n\n#titre collé\n\n"
                    "[a]: https://a.example/\n\n  [b]: https://b.example/ 'T'\n\n[a] et [b]\n\n=== \n\n> \n",
    "block-start-digits": "١. chiffre arabe\n\n². exposant\n\n2024. une année\n\n12.5 pour cent\n",
    "block-start-letters": "Été : rien.\n\nΩméga\n\n|pas| un tableau\n\n!!! pas une note\n\n<b>gras</b> brut\n",
    "heading-second-line": "Texte\n# Titre en deuxième ligne\nsuite\n",
    "quote-second-line": "Texte\n> citation en deuxième ligne\n\nAutre\n   > citation décalée\n",
    "rule-second-line": "Texte\n\n* * *\nsuite\n\nA\n   ---\n\nB\n___\n\nC\n- - -\n\nD\n* * *\n",
    "setext-second-line": "Titre\n===\nsuite\n\nSous-titre\n- - \n",
    "reference-second-line": "Voir [x] et [y].\n[x]: https://x.example/\n  [y]:https://y.example/\n\n"
                             "[z]:https://z.example/\n\n[z]\n",
    "list-after-paragraph": "Texte\n- pas un item\n1. non plus\n",
    "nested-lists": "- a\n    - b\n        - c\n\n    suite de a\n\n1. un\n\n    > citée\n",
    "blank-lines-in-code-and-lists": "    a\n\n\n\n    b\n\n- x\n\n\n- y\n",
    "quote-with-list": "> - a\n> - b\n>\n> # titre\n",
    # texts holding several triggers, some taken out by an earlier pattern
    "triggers-everything": "a*b_c[d`e<f&g\\h  \ni *j* [k](premier.md) `l` <m> &amp; \\*\n",
    "trigger-consumed": "`*pas d’emphase*` puis *emphase* et `[pas](un lien)` puis [lien](premier.md)\n",
    "link-with-emphasis": "[*a* **b** `c` &amp;](premier.md) et ![*x*](images/logo.png) et [[imbriqué]](x.md)\n",
    "autolink-lookalikes": "<pas-un-lien> a@b <a@b> <https://example.org/x_y*z> <x:y>\n",
    "line-break-in-emphasis": "*a  \nb* et **c  \nd**\n",
    # words: counted on the plain text, whatever stands between them
    "words-across-tags": "l’<em>été</em> et c'<strong>est</strong> bien-<code>être</code>\n",
    "words-entities": "l&#39;été &amp; co&nbsp;op x&#45;y &lt;b&gt;\n",
    "words-white-space": "a\tb\nc  d\u00a0e\u202ff\u2003g\n",
    "words-joiners": "a--b a-'b 'a a' -a- l’’été 12-3 _x_y_\n",
    "words-block-tags": "<div>mot</div><div>suivant</div>\n\n<p>un<br>deux</p>\n",
    # code blocks with different options, highlighted by formatters shared across blocks and bodies
    "code-options": '```python hl_lines="1"\nx = 1\ny = 2\n```\n\n```python hl_lines="2"\nx = 1\ny = 2\n```\n\n'
                    '```python\nx = 1\n```\n\n```{.python linenums="1"}\na = 1\nb = 2\n```\n\n'
                    '```{.python .extra #id}\na = 1\n```\n\n    indented = 1\n',
}


@pytest.mark.parametrize("body", list(EDGE_CASES.values()), ids=list(EDGE_CASES))
def test_edge_case_renders_as_with_every_extension(renderers: tuple[Renderer, ReferenceRenderer],
                                                   body: str) -> None:
    assert_same(renderers, body)


def test_edge_cases_render_the_same_on_a_fresh_renderer() -> None:
    fast, reference = Renderer(), ReferenceRenderer()
    for body in EDGE_CASES.values():  # one after the other: nothing one body leaves behind changes the next
        assert fast.render(body, CONTEXT) == reference.render(body, CONTEXT)


# The sample sites


def _body(text: str) -> str:
    """Return what follows the front matter of an article file."""
    assert text.startswith("---\n")
    return text.split("\n---\n", 1)[1]


def _site_bodies() -> list[tuple[str, str, LinkContext]]:
    """Return (name, body, link context) of every article of tests/sites/*/content."""
    cases = []
    for site in sorted(SITES.iterdir()):
        content = site / "content"
        paths = sorted(path.relative_to(content).as_posix() for path in content.rglob("*") if path.is_file())
        articles = {path: LinkTarget(path.removesuffix(".md") + "/", True) for path in paths if path.endswith(".md")}
        files = frozenset(path for path in paths if not path.endswith(".md"))
        for path in articles:
            body = _body((content / path).read_text(encoding="utf-8"))
            folder = path.rpartition("/")[0]
            cases.append((f"{site.name}/{path}", body, LinkContext(folder, "/", articles, files)))
    return cases


SITE_BODIES = _site_bodies()


@pytest.mark.parametrize(("body", "context"), [(body, context) for _, body, context in SITE_BODIES],
                         ids=[name for name, _, _ in SITE_BODIES])
def test_sample_site_article_renders_as_with_every_extension(renderers: tuple[Renderer, ReferenceRenderer],
                                                             body: str, context: LinkContext) -> None:
    assert_same(renderers, body, context)


# The benchmark corpus


def _bench_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cmhub_bench_corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while it runs
    spec.loader.exec_module(module)
    return module


def test_benchmark_corpus_renders_as_with_every_extension(renderers: tuple[Renderer, ReferenceRenderer]) -> None:
    corpus = _bench_corpus()
    cover_files = frozenset(f"images/cover-{number:02d}.png" for number in range(1, corpus.COVERS + 1))
    context = LinkContext("", "/", {}, cover_files)
    fast, reference = renderers
    for index in range(100):
        flavor = "hugo" if index % 10 == 9 else "cmhub"  # hugo writes the tight <!--more-->
        _, text = corpus.article(index, flavor)
        body = _body(text)
        assert fast.render(body, context) == reference.render(body, context), f"article {index} ({flavor})"


# Random Markdown-ish text

MARKDOWN_BITS = st.sampled_from([
    "# ", "## ", "### ", "- ", "* ", "1. ", "> ", "    ", "\t", "```", "~~~", "!!! note", "!!!", "[^1]", "[^1]: ",
    "| a | b |", "|---|", "|", "{: .x }", "{#id}", "{:", "{", "}", "[lien](", "](", "![img](", "[", "]", ")", "(",
    "premier.md", "../", "brouillon.md", "absent.md", "images/logo.png", "#", "<!-- more -->", "<!--more-->",
    "<div markdown>", '<div markdown="1">', "<div>", "</div>", "<span\n>", "<hr>", "<b>", "</b>", "<", ">", "*",
    "**", "_", "`", "``", "\\", "\n", "\n\n", " ", "  \n", "&", "&amp;", "&#233;", "*[HTML]: ", "*[", "HTML",
    ": ", ":   ", "Terme\n: déf", "œ", "’", "'", '"', "🎉", "\u00a0", "[TOC]", "===", "---", "\r", "\x02", "\x03",
    "<https://example.org>", "<a@b.org>", "data-toc-label=\"L\"", "Titre", "x",
    "+ ", "1) ", "١. ", "²", "___", "* * *", "[x]: ", "[x]: https://x.example/", "   >", "  #", "\n#", "\n>",
    "\n---", "\n===", "\n    ", "&#39;", "&nbsp;", "-", "--", "é", "_x_",
])
BODIES = st.one_of(st.text(), st.lists(st.one_of(MARKDOWN_BITS, st.text(max_size=5)), max_size=40).map("".join))
_FAST, _REFERENCE = Renderer(), ReferenceRenderer()


@settings(max_examples=300, deadline=None)
@given(BODIES, st.sampled_from(["", "guides"]))
def test_random_text_renders_as_with_every_extension(body: str, source_dir: str) -> None:
    context = LinkContext(source_dir, "/blog/", ARTICLES, FILES)
    assert _FAST.render(body, context) == _REFERENCE.render(body, context)


# The optimisation is in effect: without these, every test above would pass with the full set every time


def test_plain_body_needs_no_optional_extension() -> None:
    assert needed_extensions(EDGE_CASES["plain"]) == ("sane_lists", HEADING_IDS)


@pytest.mark.parametrize(
    ("case", "extension"),
    [("footnote", "footnotes"), ("table", "tables"), ("admonition", "admonition"), ("attr-paragraph", "attr_list"),
     ("def-list", "def_list"), ("def-after-raw-html", "def_list"), ("abbr", "abbr"),
     ("html-tag-across-lines", "md_in_html"), ("fenced-tildes", "fenced_code"), ("fenced-tildes", "codehilite"),
     ("indented-code", "codehilite"), ("toc-marker", "toc"), ("control-characters", "fenced_code")],
)
def test_body_with_the_syntax_keeps_its_extension(case: str, extension: str) -> None:
    assert extension in needed_extensions(EDGE_CASES[case])


@pytest.mark.parametrize("case", ["md-in-html", "md-in-html-uppercase", "md-in-html-kelvin", "md-in-html-quoted-gt",
                                  "md-in-html-after-fence"])
def test_markdown_in_html_keeps_every_extension(case: str) -> None:
    assert set(needed_extensions(EDGE_CASES[case])) == set(EXTENSIONS) - {"toc"} | {HEADING_IDS}


def test_another_markdown_release_gets_the_plain_full_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    # the shortcuts lean on Markdown's internals: outside the tested releases they are all left out
    monkeypatch.setattr("cmhub.markdown.extensions.SHORTCUTS", False)
    assert needed_extensions(EDGE_CASES["plain"]) == EXTENSIONS
    renderer, reference = Renderer(), ReferenceRenderer()
    for body in EDGE_CASES.values():
        assert renderer.render(body, CONTEXT) == reference.render(body, CONTEXT)
    for instance in renderer._instances.values():
        assert type(instance.treeprocessors["inline"]).__module__ == "markdown.treeprocessors"
        assert "toc" in instance.treeprocessors and "heading_ids" not in instance.treeprocessors
        assert "parseBlocks" not in vars(instance.parser)  # BlockParser's own loop
        if "codehilite" in instance.treeprocessors:
            assert instance.treeprocessors["hilite"].config["pygments_formatter"] == "html"


# The shortcuts' tables, checked one entry at a time against what Markdown's own code does

SOME_TEXT = st.one_of(st.text(), st.lists(st.one_of(MARKDOWN_BITS, st.text(max_size=3)), max_size=12).map("".join))


@settings(max_examples=300, deadline=None)
@given(SOME_TEXT)
def test_triggers_in_tells_which_triggers_a_text_holds(text: str) -> None:
    assert triggers_in(text) == tuple(trigger in text for trigger in TRIGGERS)


@settings(max_examples=300, deadline=None)
@given(SOME_TEXT)
def test_a_pattern_needs_one_of_its_triggers(text: str) -> None:
    for name, (triggers, need) in PATTERN_NEEDS.items():
        assert not need(text) or any(trigger in text for trigger in triggers), name


@settings(max_examples=300, deadline=None)
@given(SOME_TEXT, st.integers(0, 40), st.integers(0, 40), st.integers(0, 9999))
def test_a_placeholder_brings_no_trigger_in(text: str, start: int, length: int, number: int) -> None:
    # what an inline pattern does to the text the next patterns see: a piece becomes a placeholder
    replaced = text[:start] + markdown.util.INLINE_PLACEHOLDER % f"{number:04d}" + text[start + length:]
    for trigger, there in zip(TRIGGERS, triggers_in(replaced), strict=True):
        assert not there or trigger in text


BLOCK_BITS = st.sampled_from([
    "", " ", "  ", "   ", "    ", "\n", "\n\n", "#", "##", "-", "_", "*", "+", ">", "[", "]", "]:", ":", "=", "===",
    "---", "* * *", "1.", "1. ", "١. ", "²", "12", ".", "a", "Été", "x y", "[a]: https://a.example/", "[^1]: ",
    "\n___", "\n   >", "\n- - -", "[b]:https://b.example/", "\n  [c]: c",
    "\x02wzxhzdk:0\x03", "|", "!!! note", "<div>", "\t",
])
BLOCKS = st.one_of(st.text(), st.lists(st.one_of(BLOCK_BITS, st.text(max_size=3)), max_size=10).map("".join))
_FULL = markdown.Markdown(extensions=[*EXTENSIONS, LinkExtension()], extension_configs=EXTENSION_CONFIGS)
_FULL.htmlStash.store("<div>x</div>")  # what the placeholder above stands for


@settings(max_examples=500, deadline=None)
@given(BLOCKS)
def test_a_block_processor_passed_over_would_not_take_the_block(block: str) -> None:
    kind = block_kind(block)
    for processor in _FULL.parser.blockprocessors:
        starts, need = STARTS.get(type(processor)), BLOCK_NEEDS.get(type(processor))
        if (starts is None or starts(*kind)) and (need is None or need(block)):
            continue
        parent = Element("div")
        blocks = [block, "next"]
        taken = processor.test(parent, block) and processor.run(parent, blocks) is not False
        assert not taken and blocks == [block, "next"], type(processor).__name__


def test_block_kind_sorts_starts() -> None:
    assert block_kind("Texte") == ("a", False)
    assert block_kind("١. chiffre\nsuite") == ("0", True)
    assert block_kind("\x02wzxhzdk:0\x03") == ("\x02", False)
    assert block_kind("") == ("", False)
    # a paragraph of one line is offered to the paragraph processor, and to no core processor before it
    renderer = Renderer()
    renderer.render("Texte.")
    (instance,) = renderer._instances.values()
    loop = instance.parser.parseBlocks.__self__
    assert [type(processor).__name__ for _, processor, _ in loop._steps[("a", False)]] == ["ParagraphProcessor"]


class _SwapBlock(BlockProcessor):
    """Declines a block starting with 'swap:', having put another one in its place (no processor of ours does).

    Markdown offers the new block to the processors after it, so it meets this one once.
    """

    def test(self, parent: Element, block: str) -> bool:
        return block.startswith("swap:")

    def run(self, parent: Element, blocks: list[str]) -> bool:
        blocks[0] = blocks[0].removeprefix("swap:")
        return False


def test_a_block_put_in_place_of_a_declined_one_is_offered_to_the_next_processors() -> None:
    html = []
    for extensions in ([], [CoreShortcutsExtension()]):
        md = markdown.Markdown(extensions=extensions)
        md.parser.blockprocessors.register(_SwapBlock(md.parser), "swap", 200)
        html.append(md.convert("swap:# Titre\n\nswap:> citation\n\nswap:swap:texte\n"))
    assert html[0] == html[1] == "<h1>Titre</h1>\n<blockquote>\n<p>citation</p>\n</blockquote>\n<p>swap:texte</p>"


_FAST_INLINE = _markdown(needed_extensions('<div markdown="1"></div> [TOC]')).treeprocessors["inline"]
_FULL_INLINE = _FULL.treeprocessors["inline"]


@settings(max_examples=300, deadline=None)
@given(SOME_TEXT, st.integers(0, 20))
def test_inline_patterns_from_an_index_on_change_a_text_as_markdown_does(text: str, index: int) -> None:
    # Markdown applies the patterns from an index on to the texts of what a pattern matched (a link's text, say)
    results = []
    for processor in (_FAST_INLINE, _FULL_INLINE):
        processor.md.reset()
        processor.run(Element("div"))  # a tree without text: its first run sets the fast one up
        processor.stashed_nodes, processor.ancestors = {}, ["p"]
        changed = processor._InlineProcessor__handleInline(text, index)
        stashed = {key: node if isinstance(node, str) else markdown.serializers.to_html_string(node)
                   for key, node in processor.stashed_nodes.items()}
        results.append((changed, stashed))
    assert [type(pattern) for pattern in _FAST_INLINE.inlinePatterns] == \
        [type(pattern) for pattern in _FULL_INLINE.inlinePatterns]
    assert results[0] == results[1]


# Words, counted without plain_text's spacing


HTML_BITS = st.sampled_from(["<p>", "</p>", "<em>", "</em>", "<br>", "<div>", "<li>", "&amp;", "&#39;", "&nbsp;",
                             "&#45;", "’", "'", "-", "\t", "\n", "\u00a0", " ", "a", "é", "_", "1", "œ", "<", ">"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.one_of(HTML_BITS, st.text(max_size=3)), max_size=30).map("".join)))
def test_words_are_counted_as_in_the_plain_text(fragment: str) -> None:
    assert _count_words(fragment) == len(_WORD_RE.findall(plain_text(fragment)))


# Pygments formatters, shared by the code blocks that have the same options

OPTIONS = {"linenos": None, "cssclass": "highlight", "wrapcode": True, "full": False, "style": "default"}


def test_code_blocks_with_the_same_options_share_a_formatter() -> None:
    formatters = _HtmlFormatters()
    first = formatters(lang_str="language-python", **OPTIONS)
    assert formatters(lang_str="language-js", **OPTIONS) is first  # the language is the lexer's business
    lines = formatters(lang_str="language-python", **OPTIONS, hl_lines=[1])
    assert lines is not first and formatters(lang_str="", **OPTIONS, hl_lines=[1]) is lines
    assert formatters(**OPTIONS, hl_lines=[2]) is not lines
    assert formatters(**{**OPTIONS, "linenos": 1}) is not formatters(**{**OPTIONS, "linenos": True})
    assert lines.hl_lines == {1}


def test_a_formatter_option_that_is_not_a_plain_value_gets_a_new_formatter() -> None:
    from pygments.styles.default import DefaultStyle

    formatters = _HtmlFormatters()
    options = {**OPTIONS, "style": DefaultStyle}
    assert formatters(**options) is not formatters(**options)
