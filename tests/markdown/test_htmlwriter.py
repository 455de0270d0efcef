"""cmhub.markdown.speedups.htmlwriter writes Markdown's trees with the bytes of Markdown's own HTML serializer."""

from __future__ import annotations

from xml.etree.ElementTree import Comment, Element, ProcessingInstruction, QName, SubElement

import pytest
from markdown.serializers import to_html_string

from cmhub.markdown.speedups.htmlwriter import html_string


def tree(kind: str) -> Element:
    root = Element("div")
    if kind == "text":
        p = SubElement(root, "p")
        p.text = "a < b & c > d &amp; &#233; &eacute;"
        p.tail = "après « & » <tail>"
        SubElement(p, "em").text = "x"
    elif kind == "attributes":
        a = SubElement(root, "a", {"title": 'say "hi" & <go>', "href": "/x?a=1&b=2", "class": "z"})
        a.text = "lien"
        SubElement(root, "input", {"checked": "checked", "disabled": "no", "download": "download"})
        SubElement(root, "details", {"open": None})  # a valueless attribute: its bare name
    elif kind == "void":
        SubElement(root, "hr").tail = "\n"
        SubElement(root, "img", {"src": "a.png", "alt": ""}).tail = "after"
        SubElement(root, "br")
    elif kind == "raw":
        SubElement(root, "script").text = "if (a < b && c) {}"
        SubElement(root, "STYLE").text = "p > a { }"
    elif kind == "comments":
        root.append(Comment(" a & b < c "))
        root[-1].tail = "tail & more"
        root.append(ProcessingInstruction("php echo 1 & 2"))
    elif kind == "no-tag":
        bare = Element(None)  # type: ignore[arg-type]
        bare.text = "bare & text"
        SubElement(bare, "b").text = "bold"
        bare.tail = "end"
        root.append(bare)
    elif kind == "qname":
        SubElement(root, QName("{http://www.w3.org/2000/svg}svg")).text = "x"  # left to Markdown's writer
    elif kind == "deep":
        node = root
        for _ in range(5000):  # deeper than recursion allows: left to Markdown's writer
            node = SubElement(node, "span")
        node.text = "fond"
    return root


@pytest.mark.parametrize("kind", ["text", "attributes", "void", "raw", "comments", "no-tag", "qname", "deep"])
def test_the_bytes_are_those_of_markdowns_serializer(kind: str) -> None:
    root = tree(kind)
    assert html_string(root) == to_html_string(root)
