"""XML from outside, parsed safely: no entity expansion, no DTD, no network, libxml2's size limits kept."""

from __future__ import annotations

from lxml import etree

from cmhub.core.errors import CmhubError, error


def parse_xml(data: bytes, display: str) -> etree._Element:
    """Return the root element of an XML document.

    Raises CmhubError at the line where it is not well-formed, or when it declares entities (the
    "billion laughs" and external-entity attacks need them; exports never do).
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             dtd_validation=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise CmhubError([error(display, exc.lineno or None, f"is not well-formed XML: {exc.msg}")]) from exc
    if root is None:
        raise CmhubError([error(display, None, "is empty")])
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise CmhubError([error(display, 1, "declares XML entities (<!ENTITY ...>), which no export does: "
                                            "refusing it")])
    return root
