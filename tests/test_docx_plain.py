"""The plain-paragraph path (parsers/docx/plain.py) builds what the full walk builds.

Each case is read twice, once as usual and once with the plain path turned
off (every paragraph through the full walk), and the layouts must be equal;
so must the layouts of every .docx fixture and real-world document. Every
give-up check of plain.py has a case here that fails when the check is taken
out (the symbol-font check: test_symbol_font_default_style_without_ppr).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from msp_convert.layout import Run, TickBox
from msp_convert.parsers.docx import body, parse_docx
from test_docx_parser import make_docx

REPO = Path(__file__).resolve().parents[1]
STYLES = (
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:rPr><w:b/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Gone"><w:rPr><w:strike/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Dings"><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Listed"><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>'
    '<w:style w:type="character" w:styleId="Struck"><w:rPr><w:strike/></w:rPr></w:style>'
)


def _p(content: str, ppr: str = "") -> str:
    return f"<w:p>{ppr}{content}</w:p>"


def _r(text: str, rpr: str = "", extra: str = "") -> str:
    return f'<w:r>{rpr}{extra}<w:t xml:space="preserve">{text}</w:t></w:r>'


_BOX = "<w:txbxContent>" + _p(_r("boxed")) + "</w:txbxContent>"
_DRAWING = ("<w:drawing><wp:inline><a:graphic><a:graphicData><wps:wsp><wps:txbx>" + _BOX
            + "</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing>")
_VML = "<v:shape><v:textbox>" + _BOX + "</v:textbox></v:shape>"

CASES = {
    "plain": _p(_r("Ann likes ") + _r("trains")),
    "bold, all of it": _p(_r("Name", "<w:rPr><w:b/></w:rPr>") + _r(": ", "<w:rPr><w:b/></w:rPr>")),
    "bold, part of it": _p(_r("Name", "<w:rPr><w:b/></w:rPr>") + _r("Ann")),
    "bold turned off": _p(_r("Aim", "<w:rPr><w:b w:val='0'/></w:rPr>"), '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'),
    "bold unreadable": _p(_r("Aim", "<w:rPr><w:b w:val='maybe'/></w:rPr>"), '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'),
    "bold after the text": _p('<w:r><w:t>Aim</w:t><w:rPr><w:b/></w:rPr><w:t>s</w:t></w:r>'),
    "bold digits only": _p(_r("2024", "<w:rPr><w:b/></w:rPr>")),
    "bold digits, underscores, punctuation": _p(_r(" _1.-", "<w:rPr><w:b/></w:rPr>")),  # ASCII_NOT_LETTERS
    "a letter after the rest": _p(_r(" _1.-", "<w:rPr><w:b/></w:rPr>") + _r("9z")),
    "a letter after bold digits": _p(_r("2024", "<w:rPr><w:b/></w:rPr>") + _r("z", "<w:rPr><w:b/></w:rPr>")),
    "heading style then a plain pPr": _p(_r("One"), '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>') + _p(_r("Two"), "<w:pPr><w:jc w:val='left'/></w:pPr>"),
    "struck style": _p(_r("Old"), '<w:pPr><w:pStyle w:val="Gone"/></w:pPr>') + _p(_r("New")),
    "symbol style": _p(_r("\u00fe"), '<w:pPr><w:pStyle w:val="Dings"/></w:pPr>') + _p(_r("x")),
    "list style and numbering off": _p(_r("a"), '<w:pPr><w:pStyle w:val="Listed"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr>'),
    "outline level": _p(_r("a"), '<w:pPr><w:outlineLvl w:val="1"/></w:pPr>') + _p(_r("b"), '<w:pPr><w:pStyle w:val="Heading1"/><w:outlineLvl w:val="9"/></w:pPr>'),
    "two pPr": _p(_r("a"), '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:pPr><w:jc w:val="left"/></w:pPr>'),
    "pPr after a run": _p(_r("a") + '<w:pPr><w:pStyle w:val="Gone"/></w:pPr>' + _r("b")),
    "tabs, breaks, hyphens": _p('<w:r><w:br w:type="page"/><w:tab/><w:t>a</w:t><w:br/><w:cr/><w:noBreakHyphen/>'
                                 '<w:softHyphen/><w:ptab w:alignment="left"/><w:br w:type="column"/></w:r>'),
    "break alone": _p('<w:r><w:br w:type="page"/></w:r>'),
    "empty runs and text": _p("<w:r/><w:r><w:t/></w:r><w:bookmarkStart w:id='0' w:name='x'/><w:proofErr/>"),
    "run strike and style": _p(_r("a", "<w:rPr><w:strike/></w:rPr>") + _r("b", "<w:rPr><w:rStyle w:val='Struck'/></w:rPr>")),
    "run fonts": _p(_r("a", "<w:rPr><w:rFonts w:ascii='Arial'/></w:rPr>") + _r("\u00fe", "<w:rPr><w:rFonts w:ascii='Wingdings'/></w:rPr>")),
    "complex script bold": _p(_r("\u0645\u0631\u062d\u0628\u0627", "<w:rPr><w:rtl/><w:bCs/></w:rPr>")),
    "tick glyph": _p(_r("Yes \u2612 No \u2610")),
    "non-ascii, no glyph": _p(_r("Zo\u00eb caf\u00e9")),
    "symbol": _p('<w:r><w:sym w:font="Wingdings" w:char="F0FE"/></w:r>'),
    "field": _p('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + _r("3") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'),
    "field open over paragraphs": _p('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>X</w:instrText></w:r>') + _p(_r("after")),
    "tracked": _p("<w:ins w:id='1'>" + _r("in") + "</w:ins><w:del w:id='2'><w:r><w:delText>out</w:delText></w:r></w:del>"),
    "deleted block": "<w:del w:id='3'>" + _p(_r("gone")) + "</w:del>",
    "hyperlink": _p("<w:hyperlink>" + _r("link") + "</w:hyperlink>"),
    "table": "<w:tbl><w:tr><w:tc>" + _p(_r("cell", "<w:rPr><w:b/></w:rPr>")) + "</w:tc></w:tr></w:tbl>",
    # Each case below fails when the one check of plain.py it names is taken out.
    "deleted bold paragraph": "<w:del w:id='4'>" + _p(_r("Gone", "<w:rPr><w:b/></w:rPr>")) + "</w:del>",  # flags & DEL
    "deleted table row": "<w:tbl><w:tr><w:trPr><w:del w:id='5'/></w:trPr><w:tc>"
                         + _p(_r("Row", "<w:rPr><w:b/></w:rPr>")) + "</w:tc></w:tr></w:tbl>",  # flags & DEL
    "complex script alone": _p(_r("Aim", "<w:rPr><w:b/><w:cs/></w:rPr>")),  # W_CS
    "run strike": _p(_r("a", "<w:rPr><w:strike/></w:rPr>")),  # W_STRIKE
    "run double strike": _p(_r("a", "<w:rPr><w:dstrike/></w:rPr>")),  # W_DSTRIKE
    "run style": _p(_r("b", "<w:rPr><w:rStyle w:val='Struck'/></w:rPr>")),  # W_RSTYLE
    "right to left alone": _p(_r("Aim", "<w:rPr><w:b/><w:rtl/></w:rPr>")),  # W_RTL
    "form check box": _p('<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox><w:checked/></w:checkBox>'
                         '</w:ffData></w:fldChar></w:r><w:r><w:instrText> FORMCHECKBOX </w:instrText></w:r>'
                         '<w:r><w:fldChar w:fldCharType="end"/></w:r>' + _r(" Yes")),  # W_FLDCHAR
    "text before a field's separator": _p('<w:r><w:fldChar w:fldCharType="begin"/></w:r>' + _r("PAGE")
                                          + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + _r("3")
                                          + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'),  # W_FLDCHAR
    "text box in a drawing": _p(_r("See", extra=_DRAWING)),  # W_DRAWING
    "text box in VML": _p(_r("See", extra="<w:pict>" + _VML + "</w:pict>")),  # W_PICT
    "text box in an object": _p(_r("See", extra="<w:object>" + _VML + "</w:object>")),  # W_OBJECT
    "deleted text in a run": _p("<w:r><w:delText>out</w:delText></w:r>" + _r("in")),  # W_DELTEXT
    "math text in a run": _p("<w:r><m:t>x</m:t></w:r>" + _r(" = 2")),  # M_T
    "ruby": _p("<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>kan</w:t></w:r></w:rt>"
               "<w:rubyBase><w:r><w:t>\u6f22</w:t></w:r></w:rubyBase></w:ruby></w:r>"),  # W_RUBY
    "alternate content": _p(_r("See", extra='<mc:AlternateContent><mc:Choice Requires="wps">' + _DRAWING
                                           + "</mc:Choice><mc:Fallback><w:pict>" + _VML
                                           + "</w:pict></mc:Fallback></mc:AlternateContent>")),  # MC_ALTERNATE
}
_SYMBOL_FONT = '<w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr>'
_TICKED_YES = _p(_r("\u00fe Yes"))
# Styles in which a paragraph with no w:pPr is in a symbol font: Normal, the default character style, docDefaults.
SYMBOL_DEFAULTS = {
    "Normal": f'<w:style w:type="paragraph" w:default="1" w:styleId="Normal">{_SYMBOL_FONT}</w:style>',
    "default character style": f'<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">{_SYMBOL_FONT}</w:style>',
    "docDefaults": f"<w:docDefaults><w:rPrDefault>{_SYMBOL_FONT}</w:rPrDefault></w:docDefaults>",
}


def _both(data: bytes, monkeypatch: pytest.MonkeyPatch):
    fast = parse_docx(data)
    with monkeypatch.context() as m:
        m.setattr(body.PartWalker, "plain", lambda self, p, flags: None)
        full = parse_docx(data)
    return fast, full


@pytest.mark.parametrize("case", CASES)
def test_plain_path_builds_what_the_full_walk_builds(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, full = _both(make_docx(CASES[case], styles=STYLES), monkeypatch)
    assert fast.value == full.value
    assert fast.messages == full.messages


@pytest.mark.parametrize("where", SYMBOL_DEFAULTS)
def test_symbol_font_default_style_without_ppr(where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A paragraph with no w:pPr whose default style is in a symbol font: a tick box, as the full walk reads it."""
    fast, full = _both(make_docx(_TICKED_YES, styles=SYMBOL_DEFAULTS[where]), monkeypatch)
    assert fast.value == full.value
    assert fast.messages == full.messages
    assert fast.value.body[0].inlines == [TickBox(True, "symbol"), Run(" \uf059\uf065\uf073")]


def test_plain_path_reads_the_common_paragraph() -> None:
    """The cases above are not all given up on: the plain path is really taken (and right)."""
    calls = []
    real = body.PartWalker.plain

    def spy(self, p, flags):
        out = real(self, p, flags)
        calls.append(out is not None)
        return out

    body.PartWalker.plain = spy
    try:
        doc = parse_docx(make_docx(CASES["bold, all of it"] + CASES["heading style then a plain pPr"], styles=STYLES)).value
    finally:
        body.PartWalker.plain = real
    assert calls == [True, True, True]
    assert [(p.text, p.bold, p.heading) for p in doc.body] == [("Name: ", True, False), ("One", True, True), ("Two", False, False)]


_DOCS = sorted(REPO.glob("fixtures/**/*.docx")) + sorted((REPO.parent / "shared" / "real-docs").glob("**/*.docx"))


@pytest.mark.parametrize("path", [p for p in _DOCS if ".encrypted" not in p.name], ids=lambda p: p.name)
def test_every_docx_fixture_reads_the_same_both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, full = _both(path.read_bytes(), monkeypatch)
    assert fast.value == full.value
    assert fast.messages == full.messages


def test_paragraph_fields_in_the_order_the_walk_passes_them() -> None:
    """The walk builds every Paragraph with its fields by position (inline.PARAGRAPH_FIELDS)."""
    from dataclasses import fields

    from msp_convert.layout import Paragraph
    from msp_convert.parsers.docx.inline import PARAGRAPH_FIELDS

    assert tuple(f.name for f in fields(Paragraph)) == PARAGRAPH_FIELDS
