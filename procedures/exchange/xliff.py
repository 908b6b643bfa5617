"""XLIFF 2.0 files (OASIS XLIFF Version 2.0, core), written and read with translate-toolkit.

Each unit carries, besides its source and target, notes a CAT tool shows but keeps as they are:
`kb:context` (which part of the guide), `kb:status` (complete, missing, stale, machine), and the
fingerprints of the source and the translation at export (`kb:source`, `kb:target`), by which
an import tells what changed in the knowledge base meanwhile. Segment states: a missing or stale
translation is `initial`, a machine conversion not reviewed `translated`, a complete one `final`;
a translator who accepts a text as it is moves its state on (to translated, reviewed or final).
"""

from dataclasses import dataclass

from procedures.exchange.units import EXCHANGE_FORMAT, Group
from procedures.models import TranslationStatus as Status
from procedures.translations.status import fingerprint

STATE_OF_STATUS = {
    Status.MISSING: "initial",
    Status.STALE: "initial",
    Status.MACHINE: "translated",
    Status.COMPLETE: "final",
}
NAMESPACE = "urn:oasis:names:tc:xliff:document:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _libraries():
    """lxml and translate-toolkit, imported on first use: about 9 MB that a web process, which
    never reads or writes an exchange file, would otherwise carry (the admin imports this
    module at start-up)."""
    from lxml import etree
    from translate.storage import xliff2

    return etree, xliff2


class FileError(ValueError):
    """The data is not an exchange file this site wrote (message for people)."""


def _notes(parent, namespaced, notes: dict[str, str]) -> None:
    """<notes> as the first child of a <file> or <unit> (where XLIFF 2.0 puts them)."""
    etree, _xliff2 = _libraries()
    container = etree.Element(namespaced("notes"))
    for category, text in notes.items():
        note = etree.SubElement(container, namespaced("note"), category=category)
        note.text = text
    parent.insert(0, container)


def write(groups: list[Group], *, source: str, target: str) -> bytes:
    """The XLIFF 2.0 document of these groups' units (UTF-8 bytes): one <file> per group."""
    _etree, xliff2 = _libraries()
    store = xliff2.Xliff2File(sourcelanguage=source, targetlanguage=target)
    first = True
    for group in groups:
        if first:
            store.setfilename(store.body, group.id)
            first = False
        else:
            node = store.createfilenode(group.id)
            store.document.getroot().append(node)
            store.body = node
        _notes(
            store.body,
            store.namespaced,
            {"kb:format": str(EXCHANGE_FORMAT), "kb:title": group.title},
        )
        for item in group.units:
            unit = store.UnitClass(item.source)
            store.addunit(unit)
            unit.setid(item.id)
            if item.target:
                unit.target = item.target
            segment = unit.xmlelement
            segment.set("state", STATE_OF_STATUS[item.status])
            # Whitespace is content (Markdown): kept on the unit, where XLIFF 2.0 allows it.
            segment.attrib.pop(XML_SPACE, None)
            element = segment.getparent()
            element.set(XML_SPACE, "preserve")
            _notes(
                element,
                store.namespaced,
                {
                    "kb:context": item.context,
                    "kb:status": item.status,
                    "kb:source": fingerprint(item.source),
                    "kb:target": fingerprint(item.target),
                },
            )
    return bytes(store)


@dataclass
class ReadUnit:
    id: str
    source: str
    target: str
    state: str
    notes: dict[str, str]


@dataclass
class ReadFile:
    source: str
    target: str
    units: list[ReadUnit]


def read(data: bytes) -> ReadFile:
    """The units of an XLIFF 2.0 document. Raises FileError when it is not one."""
    etree, xliff2 = _libraries()
    # Checked first with a parser that reads no external entity or network resource: a file
    # comes from outside.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        tag = etree.fromstring(data, parser=parser).tag
    except (etree.XMLSyntaxError, ValueError) as error:
        raise FileError(str(error)) from error
    if tag != f"{{{NAMESPACE}}}xliff":
        raise FileError(f"the document is a {tag}, not an XLIFF 2.0 file")
    try:
        store = xliff2.Xliff2File.parsestring(data)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise FileError(str(error)) from error
    root = store.document.getroot()
    if root.get("version", "").split(".")[0] != "2" or not root.get("trgLang"):
        raise FileError("no XLIFF 2.0 root with a target language")
    namespace = store.namespaced
    units = []
    for element in root.iter(namespace("unit")):
        notes = {
            note.get("category", ""): note.text or ""
            for note in element.iterfind(f"{namespace('notes')}/{namespace('note')}")
        }
        segments = element.findall(namespace("segment"))
        source = "".join(_text(segment.find(namespace("source"))) for segment in segments)
        target = "".join(_text(segment.find(namespace("target"))) for segment in segments)
        state = segments[0].get("state", "initial") if segments else "initial"
        units.append(ReadUnit(element.get("id", ""), source, target, state, notes))
    return ReadFile(root.get("srcLang", ""), root.get("trgLang", ""), units)


def _text(element) -> str:
    """The text of a <source> or <target>, inline markup (which this site never writes, but a
    CAT tool may add) flattened to its text."""
    if element is None:
        return ""
    return "".join(element.itertext())
