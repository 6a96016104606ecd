"""``Paragraph.heading`` and ``Paragraph.bold`` from the Word reader: the document marks a line as a heading.

``heading`` by its style (through ``w:basedOn``: a heading or title style, or a
style with ``w:outlineLvl`` 0-8) or by its own ``w:outlineLvl``; ``bold``
because every letter in it is bold (bold resolved like strike: direct, character style chain,
paragraph style chain, docDefaults). Documents are built here: with
python-docx as Word, LibreOffice and Google Docs write them, and as raw XML for
the rules python-docx cannot express.
"""

from __future__ import annotations

import io
import json
import re

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from conftest import FIXTURES
from msp_convert.layout import iter_paragraphs
from msp_convert.parsers.docx import parse_docx
from test_docx_parser import make_docx


def marks(data: bytes) -> dict[str, tuple[bool, bool]]:
    """Each paragraph's text (whitespace collapsed) -> (heading, bold), body then headers."""
    doc = parse_docx(data).value
    out = {}
    for p in iter_paragraphs(doc.body + doc.headers + doc.footers):
        text = " ".join(p.text.split())
        if text:
            out[text] = (p.heading, p.bold)
    return out


def headings(data: bytes) -> dict[str, bool]:
    """Each paragraph's text -> whether the document marks it as a heading, by style or by bold."""
    return {text: heading or bold for text, (heading, bold) in marks(data).items()}


def saved(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# ---- documents as Word and Google Docs write them (python-docx) ------------------------


def test_heading_and_title_styles_mark_headings_and_body_text_does_not():
    d = docx.Document()
    d.add_heading("My Support Plan", 0)  # Title
    d.add_heading("Transition to secondary school", 1)
    d.add_paragraph("Kai will visit Hillcrest Academy twice in the summer term.")
    d.add_heading("Visits", 2)
    d.add_paragraph("Subtitle line", style="Subtitle")
    d.add_paragraph("A quote that is not a heading", style="Quote")
    got = headings(saved(d))
    assert got == {
        "My Support Plan": True,
        "Transition to secondary school": True,
        "Kai will visit Hillcrest Academy twice in the summer term.": False,
        "Visits": True,
        "Subtitle line": True,
        "A quote that is not a heading": False,
    }


def test_every_letter_bold_is_a_heading_some_letters_bold_is_not():
    d = docx.Document()
    d.add_paragraph().add_run("Medical needs:").bold = True
    p = d.add_paragraph()
    p.add_run("Half ").bold = True
    p.add_run("bold")
    p = d.add_paragraph()  # digits and punctuation in a plain run do not count: no letter
    p.add_run("Section 8: Transition").bold = True
    p.add_run(" (2019)")
    d.add_paragraph().add_run("2019").bold = True  # bold, but no letter at all
    p = d.add_paragraph()
    p.add_run("Bold then explicitly not ").bold = True
    p.add_run("bold").bold = False
    got = headings(saved(d))
    assert got == {
        "Medical needs:": True,
        "Half bold": False,
        "Section 8: Transition (2019)": True,
        "2019": False,
        "Bold then explicitly not bold": False,
    }
    # Bold is told apart from a heading style: the mapping trusts them differently.
    assert marks(saved(d))["Medical needs:"] == (False, True)


def test_bold_from_a_custom_paragraph_style_and_a_character_style():
    d = docx.Document()
    para_style = d.styles.add_style("School Heading", WD_STYLE_TYPE.PARAGRAPH)
    para_style.font.bold = True
    char_style = d.styles.add_style("Loud", WD_STYLE_TYPE.CHARACTER)
    char_style.font.bold = True
    d.add_paragraph("Our extra support", style="School Heading")
    p = d.add_paragraph("Not bold here, ", style="School Heading")
    p.runs[0].bold = False
    p.add_run("bold here")
    d.add_paragraph().add_run("Emphasised by a character style", style="Loud")
    got = headings(saved(d))
    assert got == {
        "Our extra support": True,
        "Not bold here, bold here": False,
        "Emphasised by a character style": True,
    }


def test_a_google_docs_like_export_parses_headings_ticks_and_a_table_without_grid_widths():
    """Heading 1/2 styles, "[x]" typed for ticks, tables with no tblGrid widths and no cell widths."""
    d = docx.Document()
    d.add_heading("My Support Plan", 0)
    d.add_heading("All about me", 1)
    d.add_paragraph("Name: Kai Dobson")
    d.add_paragraph("[x] Child in Need Plan")
    d.add_paragraph("[ ] Health Care Plan")
    d.add_heading("What we are working towards", 2)
    rows = [["Outcome", "Who", "When"], ["Kai will read a bus timetable", "Mr Patel", "July 2025"]]
    for no_grid in (True, False):  # no tblGrid at all; gridCol elements without widths
        table = d.add_table(rows=2, cols=3)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        tbl = table._tbl
        if no_grid:
            tbl.remove(tbl.find(qn("w:tblGrid")))
        for col in tbl.iter(qn("w:gridCol")):
            del col.attrib[qn("w:w")]
        for tcw in tbl.iter(qn("w:tcW")):
            tcw.getparent().remove(tcw)
    data = saved(d)
    doc = parse_docx(data).value
    paras = [p for p in doc.body if hasattr(p, "inlines")]
    texts = [(p.text, p.heading) for p in paras if p.text]
    assert texts == [
        ("My Support Plan", True),
        ("All about me", True),
        ("Name: Kai Dobson", False),
        ("[x] Child in Need Plan", False),
        ("[ ] Health Care Plan", False),
        ("What we are working towards", True),
    ]
    tables = [b for b in doc.body if hasattr(b, "rows")]
    assert [t.columns for t in tables] == [3, 3]
    for table in tables:
        assert [[c.text for c in r.cells] for r in table.rows] == rows
        assert [[c.col for c in r.cells] for r in table.rows] == [[0, 1, 2], [0, 1, 2]]


# ---- raw XML: outline levels, style chains, docDefaults, complex script -----------------

STYLES = (
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/>'
    '<w:basedOn w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="SchoolHead"><w:name w:val="School head"/>'
    '<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="SchoolSub"><w:name w:val="School sub"/>'
    '<w:basedOn w:val="SchoolHead"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="BodyFromHead"><w:name w:val="Body from head"/>'
    '<w:basedOn w:val="berschrift1"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>'
    '<w:style w:type="character" w:styleId="StrongBase"><w:name w:val="Strong base"/>'
    '<w:rPr><w:b/></w:rPr></w:style>'
    '<w:style w:type="character" w:styleId="StrongKid"><w:name w:val="Strong kid"/>'
    '<w:basedOn w:val="StrongBase"/></w:style>'
)


def p(text: str, ppr: str = "", rpr: str = "") -> str:
    return f'<w:p><w:pPr>{ppr}</w:pPr><w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def test_outline_levels_and_style_chains():
    body = (
        p("Localised heading style", '<w:pStyle w:val="berschrift1"/>')
        + p("Style with an outline level", '<w:pStyle w:val="SchoolHead"/>')
        + p("Based on that style", '<w:pStyle w:val="SchoolSub"/>')
        + p("Based on a heading but body text", '<w:pStyle w:val="BodyFromHead"/>')
        + p("Own outline level zero", '<w:outlineLvl w:val="0"/>')
        + p("Heading style, own level nine", '<w:pStyle w:val="berschrift1"/><w:outlineLvl w:val="9"/>')
        + p("Unknown style id", '<w:pStyle w:val="NoSuchStyle"/>')
        + p("Plain paragraph")
    )
    assert headings(make_docx(body, styles=STYLES)) == {
        "Localised heading style": True,
        "Style with an outline level": True,
        "Based on that style": True,
        "Based on a heading but body text": False,
        "Own outline level zero": True,
        "Heading style, own level nine": False,
        "Unknown style id": False,
        "Plain paragraph": False,
    }


def test_bold_values_character_style_chain_deleted_text_and_complex_script():
    body = (
        p("Bold on", rpr="<w:b/>")
        + p("Bold true", rpr='<w:b w:val="true"/>')
        + p("Bold off", rpr='<w:b w:val="off"/>')
        + p("Bold zero", rpr='<w:b w:val="0"/>')
        + p("Through a character style chain", rpr='<w:rStyle w:val="StrongKid"/>')
        + p("Character style, direct off", rpr='<w:rStyle w:val="StrongKid"/><w:b w:val="false"/>')
        + '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Bold kept</w:t></w:r>'
        '<w:del w:id="1" w:author="A"><w:r><w:delText> plain deleted</w:delText></w:r></w:del></w:p>'
        + p("\u0639\u0646\u064a", rpr="<w:rtl/><w:bCs/>")  # Arabic, bold for complex script
        + p("Latin with bCs only", rpr="<w:bCs/>")
    )
    assert headings(make_docx(body, styles=STYLES)) == {
        "Bold on": True,
        "Bold true": True,
        "Bold off": False,
        "Bold zero": False,
        "Through a character style chain": True,
        "Character style, direct off": False,
        "Bold kept plain deleted": True,
        "\u0639\u0646\u064a": True,
        "Latin with bCs only": False,
    }


def test_bold_from_doc_defaults_and_from_a_based_on_paragraph_style():
    styles = (
        '<w:docDefaults><w:rPrDefault><w:rPr><w:b/></w:rPr></w:rPrDefault></w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Plain"><w:name w:val="Plain"/>'
        '<w:rPr><w:b w:val="0"/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="PlainKid"><w:name w:val="Plain kid"/>'
        '<w:basedOn w:val="Plain"/></w:style>'
    )
    body = (
        p("Bold from the defaults")
        + p("Not bold through the style chain", '<w:pStyle w:val="PlainKid"/>')
        + p("Made bold directly", '<w:pStyle w:val="PlainKid"/>', "<w:b/>")
    )
    assert headings(make_docx(body, styles=styles)) == {
        "Bold from the defaults": True,
        "Not bold through the style chain": False,
        "Made bold directly": True,
    }


def test_headings_in_a_table_a_text_box_and_a_page_header():
    box = (
        '<w:p><w:r><w:t>Anchor</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps">'
        '<w:drawing><wps:wsp><wps:txbx><w:txbxContent>'
        + p("One-page profile", rpr="<w:b/>")
        + p("Likes trains")
        + '</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape>'
        '<v:textbox><w:txbxContent><w:p><w:r><w:t>Fallback copy</w:t></w:r></w:p></w:txbxContent>'
        '</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>'
    )
    table = (
        "<w:tbl><w:tr><w:tc>" + p("Extra support from school", rpr="<w:b/>") + "</w:tc>"
        "<w:tc>" + p("Tuesday club") + "</w:tc></w:tr></w:tbl>"
    )
    header = p("Confidential", rpr="<w:b/>") + p("Kai Dobson")
    got = headings(make_docx(box + table, styles=STYLES, headers=(header,)))
    assert got == {
        "Anchor": False,
        "One-page profile": True,
        "Likes trains": False,
        "Extra support from school": True,
        "Tuesday club": False,
        "Confidential": True,
        "Kai Dobson": False,
    }


# ---- the committed fixtures --------------------------------------------------------------


def test_on_the_template_its_headings_are_marked_and_typed_answers_are_not():
    """Plan 01: the template's headings are bold; nothing Maisie's plan says was typed bold."""
    path = FIXTURES / "plans" / "01-eyfs-speech-language.docx"
    got = headings(path.read_bytes())
    assert got["Section 1: About me"] is True
    assert got["Introduction to My Support Plan"] is True
    assert got["What people like and admire about me"] is True
    typed = {" ".join(t.split()) for t in json.loads(path.with_suffix(".typed.json").read_text())}
    # An area typed after the prompt ("Cognition and Learning") is also the template's own wording.
    typed -= set(headings((FIXTURES / "blank-template.docx").read_bytes()))
    typed_headings = sorted(t for t in typed if got.get(t))
    assert typed_headings == []
    assert sum(1 for t in typed if t in got and got[t] is False) > 80  # whole typed paragraphs, checked


def test_plan_number_lines_are_bold_on_the_template():
    """Plan 03's "MSP No. 3" sits on the template's bold title line."""
    got = headings((FIXTURES / "plans" / "03-ks2-dyslexia.docx").read_bytes())
    assert got["MSP No. 3"] is True
    assert re.search(r"R1 14th March 2019", " ".join(k for k, v in got.items() if not v))


def test_style_chains_that_loop_or_run_long_end():
    """basedOn cycles are cut; a long chain still finds the heading at its end (within the reader's limit of 64)."""
    chain = "".join(
        f'<w:style w:type="paragraph" w:styleId="S{i}"><w:name w:val="Step {i}"/><w:basedOn w:val="S{i + 1}"/></w:style>'
        for i in range(30)
    ) + '<w:style w:type="paragraph" w:styleId="S30"><w:name w:val="Step 30"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>'
    loop = (
        '<w:style w:type="paragraph" w:styleId="LoopA"><w:name w:val="Loop A"/><w:basedOn w:val="LoopB"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="LoopB"><w:name w:val="Loop B"/><w:basedOn w:val="LoopA"/>'
        '<w:rPr><w:b/></w:rPr></w:style>'
    )
    body = (
        p("Thirty steps from a heading", '<w:pStyle w:val="S0"/>')
        + p("Bold through a loop", '<w:pStyle w:val="LoopA"/>')
        + p("Unreadable outline level", '<w:outlineLvl w:val="first"/>')
    )
    assert headings(make_docx(body, styles=chain + loop)) == {
        "Thirty steps from a heading": True,
        "Bold through a loop": True,
        "Unreadable outline level": False,
    }
