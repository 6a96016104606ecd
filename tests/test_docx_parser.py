"""The Word parser, rule by rule, on tiny .docx files built in memory."""

from __future__ import annotations

import io
import zipfile

import pytest

from msp_convert.layout import Document, Paragraph, Run, Table, iter_paragraphs
from msp_convert.parsers.docx import parse_docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W_NS}" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:w16se="http://schemas.microsoft.com/office/word/2015/wordml/symex" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def make_docx(
    body: str,
    styles: str | None = None,
    headers: tuple[str, ...] = (),
    footers: tuple[str, ...] = (),
    main: str = "word/document.xml",
    package_rels: bool = True,
    strict: bool = False,
) -> bytes:
    """A minimal .docx: ``body`` goes inside w:body; ``styles`` inside w:styles."""
    ns = NS.replace(W_NS, "http://purl.oclc.org/ooxml/wordprocessingml/main") if strict else NS
    folder = main.rsplit("/", 1)[0]
    rels = []
    files = {main: f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {ns}><w:body>{body}</w:body></w:document>'}
    if styles is not None:
        files[f"{folder}/styles.xml"] = f"<w:styles {ns}>{styles}</w:styles>"
        rels.append(("styles", "styles.xml"))
    for kind, parts in (("header", headers), ("footer", footers)):
        tag = "hdr" if kind == "header" else "ftr"
        for i, content in enumerate(parts, 1):
            files[f"{folder}/{kind}{i}.xml"] = f"<w:{tag} {ns}>{content}</w:{tag}>"
            rels.append((kind, f"{kind}{i}.xml"))
    rel_xml = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/{t}" Target="{target}"/>'
        for i, (t, target) in enumerate(rels, 1)
    )
    name = main.rsplit("/", 1)[1]
    files[f"{folder}/_rels/{name}.rels"] = (
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rel_xml}</Relationships>'
    )
    if package_rels:
        files["_rels/.rels"] = (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="/{main}"/></Relationships>'
        )
    files["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/></Types>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path, text in files.items():
            z.writestr(path, text)
    return buf.getvalue()


def parse(body: str, **kw) -> Document:
    return parse_docx(make_docx(body, **kw)).value


def paras(doc: Document) -> list[Paragraph]:
    return list(iter_paragraphs(doc.body))


def p(*content: str, ppr: str = "") -> str:
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{''.join(content)}</w:p>"


def r(text: str, rpr: str = "") -> str:
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def runs(par: Paragraph) -> list[tuple]:
    """Inlines as tuples: ("text", struck, deleted, inserted) or (checked, encoding)."""
    out = []
    for i in par.inlines:
        if isinstance(i, Run):
            out.append((i.text, i.struck, i.deleted, i.inserted))
        else:
            out.append((i.checked, i.encoding))
    return out


def ticks(doc: Document) -> list:
    return [(t.checked, t.encoding) for q in iter_paragraphs(doc.body) for t in q.tick_boxes]


def one(body: str, **kw) -> Paragraph:
    ps = paras(parse(body, **kw))
    assert len(ps) == 1, [q.text for q in ps]
    return ps[0]


# ---------------------------------------------------------------- text --------


def test_runs_split_mid_word_come_out_whole():
    par = one(
        p(
            r("Lex"),
            '<w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="1" w:name="x"/>',
            r("ia", '<w:b/><w:color w:val="FF0000"/>'),
            '<w:bookmarkEnd w:id="1"/><w:proofErr w:type="spellEnd"/>',
            r(" daily"),
        )
    )
    assert runs(par) == [("Lexia daily", False, False, False)]


def test_tabs_breaks_and_hyphens():
    par = one(
        p(
            "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>d</w:t>"
            "<w:noBreakHyphen/><w:t>e</w:t><w:softHyphen/><w:t>f</w:t><w:ptab/><w:t>g</w:t></w:r>"
        )
    )
    assert par.text == "a\tb\nc\nd-ef\tg"


def test_page_break_alone_is_nothing_but_separates_words_mid_paragraph():
    ps = paras(parse(p('<w:r><w:br w:type="page"/></w:r>') + p(r("end"), '<w:r><w:br w:type="page"/></w:r>', r("next"))))
    assert [q.text for q in ps] == ["", "end\nnext"]


def test_whitespace_kept_as_written():
    assert one(p(r("a\u00a0 b  "))).text == "a\u00a0 b  "


def test_wrappers_are_transparent():
    body = p(
        '<w:hyperlink r:id="rId9"><w:r><w:t>link </w:t></w:r></w:hyperlink>',
        '<w:smartTag w:uri="u" w:element="place"><w:smartTagPr/><w:r><w:t>tag </w:t></w:r></w:smartTag>',
        '<w:customXml w:element="x"><w:customXmlPr/><w:r><w:t>cx </w:t></w:r></w:customXml>',
        '<w:fldSimple w:instr=" DATE "><w:r><w:t>simple </w:t></w:r></w:fldSimple>',
        '<w:bdo w:val="ltr"><w:r><w:t>bdo </w:t></w:r></w:bdo>',
        '<w:dir w:val="ltr"><w:r><w:t>dir </w:t></w:r></w:dir>',
        "<w:sdt><w:sdtPr><w:alias w:val='a'/></w:sdtPr><w:sdtEndPr><w:rPr><w:strike/></w:rPr></w:sdtEndPr>"
        "<w:sdtContent><w:r><w:t>sdt</w:t></w:r></w:sdtContent></w:sdt>",
    )
    assert runs(one(body)) == [("link tag cx simple bdo dir sdt", False, False, False)]


def test_block_row_and_cell_level_content_controls():
    cell = '<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>'
    body = (
        "<w:sdt><w:sdtPr/><w:sdtContent>" + p(r("block")) + "</w:sdtContent></w:sdt>"
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
        "<w:sdt><w:sdtPr/><w:sdtContent><w:tr>" + cell.format("row1a") + cell.format("row1b") + "</w:tr></w:sdtContent></w:sdt>"
        "<w:tr>" + cell.format("row2a") + "<w:sdt><w:sdtPr/><w:sdtContent>" + cell.format("row2b") + "</w:sdtContent></w:sdt></w:tr>"
        "</w:tbl>"
    )
    doc = parse(body)
    assert doc.body[0].text == "block"
    table = doc.body[1]
    assert [[(c.col, c.text) for c in row.cells] for row in table.rows] == [
        [(0, "row1a"), (1, "row1b")],
        [(0, "row2a"), (1, "row2b")],
    ]


def test_origin_names_the_part():
    doc = parse(p(r("x")) + "<w:tbl><w:tr><w:tc>" + p(r("y")) + "</w:tc></w:tr></w:tbl>")
    assert doc.body[0].origin == "document.xml"
    assert doc.body[1].origin == "document.xml"
    assert doc.body[1].rows[0].cells[0].blocks[0].origin == "document.xml"


def test_math_text_is_kept():
    par = one(p(r("x = "), "<m:oMath><m:r><m:t>a+b</m:t></m:r></m:oMath>"))
    assert par.text == "x = a+b"


# ------------------------------------------------------ tracked changes -------


def test_insertions_and_deletions():
    par = one(
        p(
            r("This is a"),
            '<w:del w:id="1" w:author="x"><w:r><w:delText>n excessively modified</w:delText></w:r></w:del>',
            r(" text with "),
            '<w:ins w:id="2" w:author="x"><w:r><w:t>two exciting </w:t></w:r></w:ins>',
            r("changes."),
        )
    )
    assert runs(par) == [
        ("This is a", False, False, False),
        ("n excessively modified", False, True, False),
        (" text with ", False, False, False),
        ("two exciting ", False, False, True),
        ("changes.", False, False, False),
    ]


def test_moves_and_nested_changes():
    ps = paras(
        parse(
            p(
                '<w:del w:id="1"><w:r><w:delText>s</w:delText></w:r></w:del>',
                '<w:moveTo w:id="3"><w:del w:id="4"><w:r><w:delText>.</w:delText></w:r></w:del></w:moveTo>',
            )
            + p('<w:moveFrom w:id="6"><w:ins w:id="7"><w:r><w:t>b</w:t></w:r></w:ins></w:moveFrom>')
            + p('<w:moveTo w:id="8"><w:r><w:t>moved here</w:t></w:r></w:moveTo>')
        )
    )
    assert runs(ps[0]) == [("s", False, True, False), (".", False, True, True)]
    assert runs(ps[1]) == [("b", False, True, True)]
    assert runs(ps[2]) == [("moved here", False, False, True)]


def test_deleted_table_row_marks_its_runs_deleted():
    body = (
        "<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid>"
        "<w:tr><w:tc>" + p(r("kept")) + "</w:tc></w:tr>"
        '<w:tr><w:trPr><w:del w:id="1" w:author="x"/></w:trPr><w:tc>' + p(r("gone")) + "</w:tc></w:tr>"
        "</w:tbl>"
    )
    table = parse(body).body[0]
    assert runs(table.rows[0].cells[0].blocks[0]) == [("kept", False, False, False)]
    assert runs(table.rows[1].cells[0].blocks[0]) == [("gone", False, True, False)]


def test_deleted_tick_box_is_not_a_tick_box():
    par = one(
        p(
            '<w:del w:id="1"><w:r><w:delText>\u2610</w:delText></w:r></w:del>',
            '<w:ins w:id="2"><w:r><w:t>\u2612</w:t></w:r></w:ins>',
            r(" Me"),
        )
    )
    assert runs(par) == [("\u2610", False, True, False), (True, "glyph"), (" Me", False, False, False)]


# ---------------------------------------------------------- alternate content --


def test_alternate_content_takes_understood_choice_never_both():
    body = p(
        r("a"),
        '<mc:AlternateContent><mc:Choice Requires="w14"><w:r><w:t>choice</w:t></w:r></mc:Choice>'
        "<mc:Fallback><w:r><w:t>fallback</w:t></w:r></mc:Fallback></mc:AlternateContent>",
    )
    assert one(body).text == "achoice"


def test_alternate_content_falls_back_when_choice_not_understood():
    body = p(
        "<w:r><mc:AlternateContent>"
        '<mc:Choice Requires="w16se"><w16se:symEx w16se:font="Segoe UI Emoji" w16se:char="1F60A"/></mc:Choice>'
        "<mc:Fallback><w:t>:)</w:t></mc:Fallback></mc:AlternateContent></w:r>"
    )
    assert one(body).text == ":)"


TEXT_BOX = (
    '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
    "<wps:wsp><wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx></wps:wsp>"
    "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
    '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict>'
    "</mc:Fallback></mc:AlternateContent></w:r>"
)


def test_text_box_blocks_follow_their_paragraph_once():
    body = p(r("before "), TEXT_BOX.format(inner=p(r("in the box"))), r("after")) + p(r("next"))
    assert [q.text for q in paras(parse(body))] == ["before after", "in the box", "next"]


def test_vml_only_text_box_and_tick_inside():
    body = p(
        r("anchor"),
        "<w:r><w:pict><v:shape><v:textbox><w:txbxContent>"
        + p(r("\u2612 boxed"))
        + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>",
    )
    doc = parse(body)
    assert [q.text for q in paras(doc)] == ["anchor", "\u2612 boxed"]
    assert ticks(doc) == [(True, "glyph")]


# --------------------------------------------------------------- fields -------


def _field(instr: str, result: str = "", begin_extra: str = "") -> str:
    return (
        f'<w:r><w:fldChar w:fldCharType="begin">{begin_extra}</w:fldChar></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{instr}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{result}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def test_complex_field_keeps_result_drops_instruction():
    par = one(p(r("Date: "), _field(" DATE \\@ dd/MM/yyyy ", r("12/03/2019")), r(".")))
    assert par.text == "Date: 12/03/2019."


def test_nested_field_inside_instruction_is_hidden():
    inner = _field(" MERGEFIELD x ", r("inner result"))
    outer = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText> IF </w:instrText></w:r>' + inner + '<w:r><w:instrText> = "y" "a" "b" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r("outer result") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    assert one(p(outer)).text == "outer result"


def test_field_result_may_span_paragraphs():
    body = (
        p('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC </w:instrText></w:r>'
          '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', r("Section 1"))
        + p(r("Section 2"), '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
        + p(r("after"))
    )
    assert [q.text for q in paras(parse(body))] == ["Section 1", "Section 2", "after"]


def test_unclosed_field_instruction_does_not_swallow_the_document():
    body = p(r("a"), '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>') + p(r("b"))
    assert [q.text for q in paras(parse(body))] == ["a", "b"]


# ---------------------------------------------------------- tick boxes -------


@pytest.mark.parametrize(
    "glyph, checked",
    [("\u2610", False), ("\u25a1", False), ("\u2612", True), ("\u2611", True),
     ("\u2713", True), ("\u2714", True), ("\u2717", True), ("\u2718", True)],
)
def test_glyph_tick_boxes(glyph, checked):
    par = one(p(r(f"a{glyph}b", '<w:rFonts w:ascii="MS Gothic" w:hAnsi="MS Gothic"/>')))
    assert runs(par) == [("a", False, False, False), (checked, "glyph"), ("b", False, False, False)]
    assert par.text == f"a{'☒' if checked else '☐'}b"


def test_several_glyphs_in_one_run_each_become_a_box():
    par = one(p(r("\u2610 Me  \u2612 Parent\u2611")))
    assert runs(par) == [
        (False, "glyph"), (" Me  ", False, False, False), (True, "glyph"),
        (" Parent", False, False, False), (True, "glyph"),
    ]


SYMBOL_TICKS = [
    ("Wingdings", "F0A8", False), ("Wingdings", "F06F", False), ("Wingdings", "F071", False),
    ("Wingdings", "F072", False), ("Wingdings", "F0FE", True), ("Wingdings", "F0FD", True),
    ("Wingdings", "F078", True), ("Wingdings", "F0FC", True), ("Wingdings", "F0FB", True),
    ("Wingdings 2", "F0A3", False), ("Wingdings 2", "F0A2", False), ("Wingdings 2", "F02A", False),
    ("Wingdings 2", "F052", True), ("Wingdings 2", "F053", True), ("Wingdings 2", "F054", True),
    ("Wingdings 2", "F050", True), ("Wingdings 2", "F04F", True), ("Symbol", "F0D6", True),
]


@pytest.mark.parametrize("font, char, checked", SYMBOL_TICKS)
def test_symbol_font_sym_tick_boxes(font, char, checked):
    par = one(p(r("Me "), f'<w:r><w:sym w:font="{font}" w:char="{char}"/></w:r>', r(" you")))
    assert runs(par) == [("Me ", False, False, False), (checked, "symbol"), (" you", False, False, False)]


@pytest.mark.parametrize("char", ["00FE", "FE", "fe", "F0FE"])
def test_sym_char_codes_are_normalised(char):
    assert ticks(parse(p(f'<w:r><w:sym w:font="wingdings" w:char="{char}"/></w:r>'))) == [(True, "symbol")]


@pytest.mark.parametrize("font, char, checked", SYMBOL_TICKS)
def test_symbol_font_run_text_tick_boxes(font, char, checked):
    code = int(char, 16)
    for text in (chr(code), chr(code - 0xF000)):  # private-use or plain low byte
        par = one(p(r(text, f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}"/>')))
        assert runs(par) == [(checked, "symbol")]


def test_symbol_font_from_character_style():
    styles = (
        '<w:style w:type="character" w:styleId="Box"><w:name w:val="Box"/>'
        '<w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr></w:style>'
    )
    par = one(p(r("\u00fe", '<w:rStyle w:val="Box"/>'), r(" Me")), styles=styles)
    assert runs(par) == [(True, "symbol"), (" Me", False, False, False)]


def test_direct_text_font_overrides_symbol_style_font():
    styles = (
        '<w:style w:type="character" w:styleId="Box"><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr></w:style>'
    )
    par = one(p(r("\u00fe", '<w:rStyle w:val="Box"/><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/>')), styles=styles)
    assert runs(par) == [("\u00fe", False, False, False)]


def test_other_symbols_are_text_not_boxes():
    par = one(
        p(
            '<w:r><w:sym w:font="Symbol" w:char="F061"/></w:r>',
            '<w:r><w:sym w:font="Symbol" w:char="F0B7"/></w:r>',
            '<w:r><w:sym w:font="Symbol" w:char="F094"/></w:r>',
            '<w:r><w:sym w:font="Webdings" w:char="F068"/></w:r>',
            '<w:r><w:sym w:font="Wingdings" w:char="F04A"/></w:r>',
            r("ab", '<w:rFonts w:ascii="Symbol" w:hAnsi="Symbol"/>'),
        )
    )
    assert par.tick_boxes == []
    assert par.text == "\u03b1\u2022\uf094\uf068\u263a\u03b1\u03b2"


def test_sym_in_a_text_font_is_its_unicode_character():
    par = one(p('<w:r><w:sym w:font="MS Gothic" w:char="2612"/></w:r>', '<w:r><w:sym w:font="Arial" w:char="00B7"/></w:r>'))
    assert runs(par) == [(True, "symbol"), ("\u00b7", False, False, False)]


def _cc_box(checked: str | None, glyph: str) -> str:
    state = "" if checked is None else f'<w14:checked w14:val="{checked}"/>'
    return (
        f"<w:sdt><w:sdtPr><w:id w:val='1'/><w14:checkbox>{state}"
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/><w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/>'
        "</w14:checkbox></w:sdtPr><w:sdtEndPr/><w:sdtContent>"
        f'<w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:hAnsi="MS Gothic"/></w:rPr><w:t>{glyph}</w:t></w:r>'
        "</w:sdtContent></w:sdt>"
    )


@pytest.mark.parametrize(
    "val, checked", [("1", True), ("true", True), ("0", False), ("false", False), (None, False)]
)
def test_content_control_check_boxes(val, checked):
    # the glyph inside disagrees on purpose: the state comes from w14:checked
    glyph = "\u2610" if checked else "\u2612"
    par = one(p(r("[a]"), _cc_box(val, glyph), r("[b]")))
    assert runs(par) == [("[a]", False, False, False), (checked, "content-control"), ("[b]", False, False, False)]


def _form_box(checkbox_inner: str) -> str:
    return _field(
        " FORMCHECKBOX ",
        begin_extra=f'<w:ffData><w:name w:val="Check1"/><w:enabled/><w:calcOnExit w:val="0"/>'
        f"<w:checkBox><w:sizeAuto/>{checkbox_inner}</w:checkBox></w:ffData>",
    )


@pytest.mark.parametrize(
    "inner, checked",
    [
        ('<w:default w:val="0"/>', False),
        ('<w:default w:val="1"/>', True),
        ('<w:default w:val="true"/>', True),
        ('<w:default w:val="off"/>', False),
        ('<w:default w:val="0"/><w:checked/>', True),
        ('<w:default w:val="1"/><w:checked w:val="0"/>', False),
        ('<w:default w:val="0"/><w:checked w:val="true"/>', True),
        ('<w:default w:val="1"/><w:checked w:val="false"/>', False),
        ('<w:default w:val="0"/><w:checked w:val="on"/>', True),
        ("", False),
    ],
)
def test_legacy_form_field_check_boxes(inner, checked):
    par = one(p(r("Urgent "), _form_box(inner), r(" Routine")))
    assert runs(par) == [("Urgent ", False, False, False), (checked, "form-field"), (" Routine", False, False, False)]


def test_form_field_with_line_breaks_inside_start_tags():
    box = _form_box('<w:default w:val="0"/><w:checked/>').replace("<w:checkBox>", "<w:checkBox\r\n>").replace(
        "<w:checked/>", "<w:checked\r\n/>"
    )
    assert ticks(parse(p(box))) == [(True, "form-field")]


def test_unknown_tick_state_is_none_with_a_message_free_of_text():
    secret = "Kai Dobson"
    res = parse_docx(make_docx(p(r(secret), _form_box('<w:checked w:val="maybe"/>'))))
    assert ticks(res.value) == [(None, "form-field")]
    assert [m.code for m in res.messages] == ["tick-box-unknown"]
    assert all(secret not in m.message and secret not in (m.where or "") for m in res.messages)
    assert res.messages[0].where == "document.xml"


def test_all_tick_encodings_in_document_order():
    body = p(
        r("\u2612"),
        '<w:r><w:sym w:font="Wingdings" w:char="F0A8"/></w:r>',
        _cc_box("1", "\u2612"),
        _form_box('<w:default w:val="0"/>'),
        r("\uf0fe", '<w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/>'),
    )
    assert ticks(parse(body)) == [
        (True, "glyph"), (False, "symbol"), (True, "content-control"), (False, "form-field"), (True, "symbol"),
    ]


# ------------------------------------------------------------- strike ---------


@pytest.mark.parametrize(
    "rpr, struck",
    [
        ("<w:strike/>", True), ('<w:strike w:val="1"/>', True), ('<w:strike w:val="true"/>', True),
        ('<w:strike w:val="on"/>', True), ('<w:strike w:val="0"/>', False), ('<w:strike w:val="false"/>', False),
        ('<w:strike w:val="off"/>', False), ("<w:dstrike/>", True), ('<w:dstrike w:val="0"/>', False), ("", False),
    ],
)
def test_direct_strike_values(rpr, struck):
    assert runs(one(p(r("x", rpr)))) == [("x", struck, False, False)]


STYLES = (
    '<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="20"/></w:rPr></w:rPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"/>'
    '<w:style w:type="paragraph" w:styleId="StruckBase"><w:basedOn w:val="Normal"/><w:rPr><w:strike/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="StruckChild"><w:basedOn w:val="StruckBase"/><w:rPr><w:b/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Unstruck"><w:basedOn w:val="StruckChild"/><w:rPr><w:strike w:val="0"/></w:rPr></w:style>'
    '<w:style w:type="character" w:styleId="Withdrawn"><w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:dstrike/></w:rPr></w:style>'
    '<w:style w:type="character" w:styleId="WithdrawnChild"><w:basedOn w:val="Withdrawn"/><w:rPr><w:i/></w:rPr></w:style>'
    '<w:style w:type="character" w:styleId="Live"><w:rPr><w:strike w:val="off"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="LoopA"><w:basedOn w:val="LoopB"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="LoopB"><w:basedOn w:val="LoopA"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Listed"><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="ListedChild"><w:basedOn w:val="Listed"/></w:style>'
)


@pytest.mark.parametrize(
    "pstyle, rpr, struck",
    [
        ("StruckBase", "", True),  # paragraph style
        ("StruckChild", "", True),  # through basedOn
        ("Unstruck", "", False),  # nearer level turns it off
        ("StruckChild", '<w:strike w:val="0"/>', False),  # off in a struck paragraph
        ("StruckChild", '<w:rStyle w:val="Live"/>', False),  # character style beats paragraph style
        (None, '<w:rStyle w:val="WithdrawnChild"/>', True),  # character style through basedOn (dstrike)
        (None, '<w:rStyle w:val="Withdrawn"/><w:dstrike w:val="0"/>', False),  # direct beats character style
        ("Unstruck", '<w:rStyle w:val="Withdrawn"/>', True),
        ("StruckChild", '<w:rStyle w:val="Missing"/>', True),  # unknown style: the default (no strike)
        ("LoopA", "", False),  # basedOn cycle: no hang
        ("Nope", "", False),
    ],
)
def test_strike_through_styles(pstyle, rpr, struck):
    ppr = f'<w:pStyle w:val="{pstyle}"/>' if pstyle else ""
    assert runs(one(p(r("x", rpr), ppr=ppr), styles=STYLES)) == [("x", struck, False, False)]


def test_default_paragraph_and_character_styles_apply_without_pstyle_or_rstyle():
    styles_p = '<w:style w:type="paragraph" w:default="1" w:styleId="N"><w:rPr><w:strike/></w:rPr></w:style>'
    styles_c = '<w:style w:type="character" w:default="1" w:styleId="D"><w:rPr><w:dstrike/></w:rPr></w:style>'
    assert runs(one(p(r("x")), styles=styles_p)) == [("x", True, False, False)]
    assert runs(one(p(r("x")), styles=styles_c)) == [("x", True, False, False)]


def test_strike_from_doc_defaults_and_turned_off_nearer():
    styles = (
        '<w:docDefaults><w:rPrDefault><w:rPr><w:strike/></w:rPr></w:rPrDefault></w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:rPr><w:strike w:val="0"/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="PlanEntry"><w:name w:val="Plan entry"/></w:style>'
    )
    body = (
        p(r("normal"))
        + p(r("entry"), r(" live", '<w:strike w:val="false"/>'), ppr='<w:pStyle w:val="PlanEntry"/>')
    )
    ps = paras(parse(body, styles=styles))
    assert runs(ps[0]) == [("normal", False, False, False)]
    assert runs(ps[1]) == [("entry", True, False, False), (" live", False, False, False)]


def test_no_styles_part_means_nothing_struck():
    assert runs(one(p(r("x")))) == [("x", False, False, False)]


def test_partial_strike_splits_runs_and_rprchange_is_ignored():
    par = one(
        p(
            r("Throughout the day, "),
            r("1 x 30 mins", "<w:strike/>"),
            '<w:r><w:rPr><w:rPrChange w:id="1"><w:rPr><w:strike/></w:rPr></w:rPrChange></w:rPr><w:t> weekly</w:t></w:r>',
            ppr="<w:rPr><w:strike/></w:rPr>",  # the paragraph mark's own formatting
        )
    )
    assert runs(par) == [
        ("Throughout the day, ", False, False, False),
        ("1 x 30 mins", True, False, False),
        (" weekly", False, False, False),
    ]


# --------------------------------------------------------------- lists --------


def test_list_items_direct_and_through_style():
    body = (
        p(r("a"), ppr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
        + p(r("b"), ppr='<w:pStyle w:val="ListedChild"/>')
        + p(r("c"), ppr='<w:pStyle w:val="ListedChild"/><w:numPr><w:numId w:val="0"/></w:numPr>')
        + p(r("d"))
    )
    assert [q.list_item for q in paras(parse(body, styles=STYLES))] == [True, True, False, False]


# --------------------------------------------------------------- tables -------


def _tc(text: str, tcpr: str = "") -> str:
    return f"<w:tc><w:tcPr><w:tcW w:w='1'/>{tcpr}</w:tcPr>{p(r(text)) if text else '<w:p/>'}</w:tc>"


def _grid(table: Table) -> list:
    return [[(c.col, c.col_span, c.row_span, c.text) for c in row.cells] for row in table.rows]


def test_grid_span_and_vertical_merge():
    body = (
        "<w:tbl><w:tblGrid>" + "<w:gridCol/>" * 4 + "</w:tblGrid>"
        "<w:tr>" + _tc("0-0") + _tc("0-12", '<w:gridSpan w:val="2"/>') + _tc("0-3") + "</w:tr>"
        "<w:tr>" + _tc("12-0", '<w:vMerge w:val="restart"/>') + _tc("1-1") + _tc("1-2") + _tc("1-3") + "</w:tr>"
        "<w:tr>" + _tc("", "<w:vMerge/>") + _tc("2-1") + _tc("2-2") + _tc("2-3") + "</w:tr>"
        "<w:tr>" + _tc("3-0") + _tc("34-123", '<w:gridSpan w:val="3"/><w:vMerge w:val="restart"/>') + "</w:tr>"
        "<w:tr>" + _tc("4-0") + _tc("", '<w:gridSpan w:val="3"/><w:vMerge w:val="continue"/>') + "</w:tr>"
        "</w:tbl>"
    )
    table = parse(body).body[0]
    assert table.columns == 4
    assert _grid(table) == [
        [(0, 1, 1, "0-0"), (1, 2, 1, "0-12"), (3, 1, 1, "0-3")],
        [(0, 1, 2, "12-0"), (1, 1, 1, "1-1"), (2, 1, 1, "1-2"), (3, 1, 1, "1-3")],
        [(1, 1, 1, "2-1"), (2, 1, 1, "2-2"), (3, 1, 1, "2-3")],
        [(0, 1, 1, "3-0"), (1, 3, 2, "34-123")],
        [(0, 1, 1, "4-0")],
    ]


def test_merged_down_cell_keeps_content_typed_in_the_covered_row():
    body = (
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
        "<w:tr>" + _tc("Provision 3", '<w:vMerge w:val="restart"/>') + _tc("a") + "</w:tr>"
        "<w:tr>" + _tc("continued here", "<w:vMerge/>") + _tc("b") + "</w:tr>"
        "<w:tr>" + _tc("new") + _tc("c") + "</w:tr>"
        "</w:tbl>"
    )
    table = parse(body).body[0]
    assert _grid(table) == [
        [(0, 1, 2, "Provision 3\ncontinued here"), (1, 1, 1, "a")],
        [(1, 1, 1, "b")],
        [(0, 1, 1, "new"), (1, 1, 1, "c")],
    ]


def test_grid_before_offsets_columns_and_missing_grid_is_computed():
    body = (
        "<w:tbl>"
        "<w:tr>" + _tc("a") + _tc("b") + _tc("c") + "</w:tr>"
        '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>' + _tc("x", '<w:gridSpan w:val="2"/>') + "</w:tr>"
        "</w:tbl>"
    )
    table = parse(body).body[0]
    assert table.columns == 3
    assert _grid(table) == [[(0, 1, 1, "a"), (1, 1, 1, "b"), (2, 1, 1, "c")], [(1, 2, 1, "x")]]


def test_nested_tables_stay_in_their_cell_and_shading():
    inner = "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>" + _tc("A") + _tc("B") + "</w:tr></w:tbl>"
    body = (
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
        "<w:tr>" + _tc("Heading", '<w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/>')
        + _tc("plain", '<w:shd w:val="clear" w:color="auto" w:fill="FFFFFF"/>') + "</w:tr>"
        "<w:tr><w:tc>" + p(r("before")) + inner + "<w:p/></w:tc>" + _tc("auto", '<w:shd w:val="clear" w:fill="auto"/>') + "</w:tr>"
        "</w:tbl>"
    )
    doc = parse(body)
    assert len(doc.body) == 1
    outer = doc.body[0]
    assert [[c.shaded for c in row.cells] for row in outer.rows] == [[True, False], [False, False]]
    cell = outer.rows[1].cells[0]
    assert isinstance(cell.blocks[1], Table)
    assert _grid(cell.blocks[1]) == [[(0, 1, 1, "A"), (1, 1, 1, "B")]]
    assert [q.text for q in cell.paragraphs()] == ["before", "A", "B", ""]


def test_nested_table_does_not_disturb_outer_vertical_merge():
    inner = "<w:tbl><w:tr>" + _tc("i", '<w:vMerge w:val="restart"/>') + "</w:tr><w:tr>" + _tc("", "<w:vMerge/>") + "</w:tr></w:tbl>"
    body = (
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
        "<w:tr>" + _tc("m", '<w:vMerge w:val="restart"/>') + "<w:tc>" + inner + "<w:p/></w:tc></w:tr>"
        "<w:tr>" + _tc("", "<w:vMerge/>") + _tc("z") + "</w:tr>"
        "</w:tbl>"
    )
    outer = parse(body).body[0]
    assert [[(c.col, c.row_span) for c in row.cells] for row in outer.rows] == [[(0, 2), (1, 1)], [(1, 1)]]
    assert [[c.row_span for c in row.cells] for row in outer.rows[0].cells[1].blocks[0].rows] == [[2], []]


# ---------------------------------------------------- headers, footers, parts -


def test_headers_and_footers_in_rels_order_with_their_origin():
    doc = parse(
        p(r("body")),
        headers=(p(r("Name: Kai Dobson")), p(r("\u2612 second"))),
        footers=(p(r("Page footer")),),
    )
    assert [(b.text, b.origin) for b in doc.headers] == [("Name: Kai Dobson", "header1.xml"), ("\u2612 second", "header2.xml")]
    assert [(b.text, b.origin) for b in doc.footers] == [("Page footer", "footer1.xml")]
    assert doc.headers[1].tick_boxes[0].checked is True


def test_main_part_found_through_package_relationships():
    doc = parse(p(r("elsewhere")), main="content/main.xml", headers=(p(r("h")),))
    assert [q.text for q in paras(doc)] == ["elsewhere"]
    assert [(b.text, b.origin) for b in doc.headers] == [("h", "header1.xml")]


def test_main_part_fallback_without_package_relationships():
    doc = parse(p(r("fallback")), package_rels=False)
    assert [q.text for q in paras(doc)] == ["fallback"]


def test_strict_ooxml_namespace():
    doc = parse(p(r("strict", "<w:strike/>")), strict=True)
    assert runs(paras(doc)[0]) == [("strict", True, False, False)]


def test_relative_relationship_targets_resolve_against_the_main_part():
    data = make_docx(p(r("x")), headers=(p(r("hdr")),))
    # rewrite the header target as "../word/header1.xml"
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in src.namelist():
            content = src.read(name)
            if name == "word/_rels/document.xml.rels":
                content = content.replace(b'Target="header1.xml"', b'Target="../word/header1.xml"')
            z.writestr(name, content)
    doc = parse_docx(buf.getvalue()).value
    assert [b.text for b in doc.headers] == ["hdr"]


# ------------------------------------------------- content-control details --


def test_placeholder_text_of_an_empty_content_control_is_not_content():
    run_level = (
        "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
        + r("Click or tap here to enter text.")
        + "</w:sdtContent></w:sdt>"
    )
    filled = "<w:sdt><w:sdtPr/><w:sdtContent>" + r("Maisie") + "</w:sdtContent></w:sdt>"
    block_level = (
        "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
        + p(r("Enter the date."))
        + "</w:sdtContent></w:sdt>"
    )
    doc = parse(p(r("Name: "), run_level) + p(r("Name: "), filled) + block_level + p(r("end")))
    assert [q.text for q in paras(doc)] == ["Name: ", "Name: Maisie", "end"]


@pytest.mark.parametrize(
    "inner, shown",
    [
        ('<w:result w:val="1"/><w:listEntry w:val="Weekly"/><w:listEntry w:val="Daily"/>', "Daily"),
        ('<w:default w:val="1"/><w:listEntry w:val="Weekly"/><w:listEntry w:val="Daily"/>', "Daily"),
        ('<w:result w:val="0"/><w:default w:val="1"/><w:listEntry w:val="Weekly"/><w:listEntry w:val="Daily"/>', "Weekly"),
        ('<w:listEntry w:val="Weekly"/><w:listEntry w:val="Daily"/>', "Weekly"),
        ('<w:result w:val="7"/><w:listEntry w:val="Weekly"/>', ""),
    ],
)
def test_legacy_drop_down_shows_its_chosen_entry(inner, shown):
    field = _field(" FORMDROPDOWN ", begin_extra=f'<w:ffData><w:name w:val="D"/><w:ddList>{inner}</w:ddList></w:ffData>')
    assert one(p(r("How often: "), field, r("."))).text == f"How often: {shown}."


def test_legacy_text_field_shows_its_result():
    field = _field(" FORMTEXT ", r("Mrs Okoye"), begin_extra='<w:ffData><w:name w:val="T"/><w:textInput/></w:ffData>')
    assert one(p(r("Helped by: "), field)).text == "Helped by: Mrs Okoye"
