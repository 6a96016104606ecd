"""The Word parser on real documents from other projects' test suites.

Every expected value is a fact recorded in shared/real-docs/MANIFEST.md (checked
there against the XML or the source project's own test), not something this
parser printed.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from msp_convert.layout import Document, Paragraph, Run, Table, iter_paragraphs
from msp_convert.parsers.docx import parse_docx

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-docs"


@lru_cache(maxsize=None)
def doc(name: str) -> Document:
    result = parse_docx((REAL / name).read_bytes())
    return result.value


def paragraphs(d: Document) -> list[Paragraph]:
    return list(iter_paragraphs(d.body))


def tick_states(d: Document) -> list:
    return [t.checked for p in paragraphs(d) for t in p.tick_boxes]


def tick_after(d: Document) -> list[tuple]:
    """(checked, text of the paragraph with boxes shown) per tick box."""
    return [(t.checked, p.text.strip()) for p in paragraphs(d) for t in p.tick_boxes]


def all_runs(d: Document) -> list[Run]:
    return [i for p in paragraphs(d) for i in p.inlines if isinstance(i, Run)]


def struck_texts(d: Document) -> list[str]:
    return [r.text for r in all_runs(d) if r.struck]


def tables(blocks) -> list[Table]:
    out = []
    for b in blocks:
        if isinstance(b, Table):
            out.append(b)
            for row in b.rows:
                for cell in row.cells:
                    out.extend(tables(cell.blocks))
    return out


def grid(table: Table) -> list:
    return [[(c.col, c.col_span, c.row_span, c.text) for c in row.cells] for row in table.rows]


def test_the_real_documents_are_there():
    assert len(list(REAL.rglob("*.docx"))) == 23


# ------------------------------------------------------------- tick boxes ----


def test_checked_boxes_legacy_fields_12_on_32_off():
    d = doc("docx2python/checked_boxes.docx")
    states = tick_states(d)
    assert len(states) == 44
    assert states == [False, False] + [True] * 12 + [False] * 30
    labels = [text for checked, text in tick_after(d) if checked]
    assert labels[0] == "\u2612 Adult Protective Services"
    assert labels[1] == "\u2612 Older Adult Mental Health"
    assert labels[-1].startswith("\u2612 Other (describe):")
    assert all(t.encoding == "form-field" for p in paragraphs(d) for t in p.tick_boxes)


def test_checked_true_false_every_on_off_spelling():
    d = doc("docx2python/checked-true-false.docx")
    by_label = {text[2:]: checked for checked, text in tick_after(d)}
    assert by_label == {
        "default 0": False, "default false": False, "checked 0": False, "checked false": False,
        "default 1": True, "default true": True, "checked 1": True, "checked true": True,
    }


def test_check_drop_my_form_fields_then_content_controls():
    d = doc("docx2python/check_drop_my.docx")
    boxes = [(t.checked, t.encoding) for p in paragraphs(d) for t in p.tick_boxes]
    assert boxes == [
        (False, "form-field"), (True, "form-field"), (False, "content-control"), (True, "content-control"),
    ]
    texts = [p.text for p in paragraphs(d) if p.tick_boxes]
    # the content control's own glyph is not emitted a second time
    assert texts == [
        "[user unchecked]\u2610[user unchecked]",
        "[user checked]\u2612[user checked]",
        "[my unchecked]\u2610[my unchecked]",
        "[my checked]\u2612[my checked]",
    ]


def test_docx_checkboxes_content_controls_in_order():
    d = doc("docling/docx_checkboxes.docx")
    got = [(checked, text[2:]) for checked, text in tick_after(d)]
    assert [label for _, label in got][:11] == [
        "Orange juice", "Tea", "Coffee", "Milk", "Water", "Scramble eggs", "Porridge", "Bread",
        "Croissant", "Design", "Implementation",
    ]
    assert got[11][1].startswith("Documentation")
    assert [c for c, _ in got] == [True, False, True, False, True, True, False, True, True, True, True, False]
    assert all(t.encoding == "content-control" for p in paragraphs(d) for t in p.tick_boxes)


def test_poi_checkboxes_default_only_including_text_box_and_table():
    d = doc("poi/checkboxes.docx")
    assert tick_states(d) == [False, True, False, True, False, True, True, False, True]
    texts = [p.text for p in paragraphs(d) if p.tick_boxes]
    assert "Test a checkbox within a textbox: \u2610 -> \u2612" in texts
    assert texts[-1] == "\u2612\u2610\u2612"


def test_form_footnotes_29_unchecked_and_symbol_f094_kept_as_text():
    d = doc("poi/form_footnotes.docx")
    assert tick_states(d) == [False] * 29
    text = "\n".join(p.text for p in paragraphs(d))
    assert text.count("\uf094") == 7


# ------------------------------------------------------------------ strike ---


def test_superdoc_every_strike_case():
    d = doc("superdoc/ooxml-strike-rstyle-linked-combos-demo.docx")
    runs = all_runs(d)
    struck = [r.text for r in runs if r.struck]
    assert struck == [
        "Strikethrough sample", "Strikethrough sample", "Strikethrough sample", "Strikethrough sample",
        "Styled strike",
        "No-strike style overridden on",
        "Linked Char style applied",
        "  - pStyle='SD_LinkedStrikeHeading' + inline 'off' on a run: ",
        "Struck cell",
        "Should be struck",
        "Double-struck sample",
    ]
    plain = " ".join(r.text for r in runs if not r.struck)
    for text in ("w:val=false: Strikethrough sample", "w:val=0: Strikethrough sample",
                 "w:val=off: Strikethrough sample", "Strike style overridden off",
                 "This part should NOT be struck", "Styled no-strike"):
        assert text in plain


def test_run_styles_strike_and_double_strike():
    d = doc("docx2python/run_styles.docx")
    assert struck_texts(d) == ["Strikethrough", "Double Strikethough"]


def test_mammoth_strikethrough():
    d = doc("python-mammoth/strikethrough.docx")
    [par] = [p for p in paragraphs(d) if p.inlines]
    assert [(r.text, r.struck) for r in par.inlines] == [("Today's Special: Salmon", True), (" Sold out", False)]


def test_pandoc_inline_formatting_only_strikethrough_struck():
    assert struck_texts(doc("pandoc/inline_formatting.docx")) == ["strikethrough"]


def test_docx_rich_cells_strike_in_cell_nested_table_and_body():
    d = doc("docling/docx_rich_cells.docx")
    assert struck_texts(d) == ["strikethrough", "Cell 1", "strikethrough"]
    # "Cell 1" is struck inside a table nested in a cell
    nested = [t for t in tables(d.body) if t not in d.body]
    struck_in_nested = [
        i.text for t in nested for row in t.rows for c in row.cells for p in c.paragraphs()
        for i in p.inlines if isinstance(i, Run) and i.struck
    ]
    assert struck_in_nested == ["Cell 1"]
    assert len(nested) == 2
    assert all(grid(t)[0] == [(0, 1, 1, "A"), (1, 1, 1, "B"), (2, 1, 1, "C")] for t in nested)
    assert all([c.text for c in t.rows[1].cells] == ["Cell 1", "Cell 2", "Cell 3"] for t in nested)


# --------------------------------------------------------- tracked changes ---


def test_pandoc_deletion():
    runs = all_runs(doc("pandoc/track_changes_deletion.docx"))
    assert [r.text for r in runs if r.deleted] == ["n excessively modified"]
    accepted = "".join(r.text for r in runs if not r.deleted)
    assert accepted == "This is a text with a deletion."


def test_pandoc_insertion():
    runs = all_runs(doc("pandoc/track_changes_insertion.docx"))
    assert [r.text for r in runs if r.inserted] == ["two exciting "]
    assert "".join(r.text for r in runs) == "This is a text with two exciting insertions."
    assert "".join(r.text for r in runs if not r.inserted) == "This is a text with insertions."


def test_superdoc_msword_tracked_changes():
    runs = all_runs(doc("superdoc/msword-tracked-changes.docx"))
    assert [r.text for r in runs if r.inserted] == ["cool ", "New text"]
    assert [r.text for r in runs if r.deleted] == ["basic ", "Delete me"]
    accepted = [p for p in paragraphs(doc("superdoc/msword-tracked-changes.docx"))]
    assert "".join(i.text for i in accepted[0].inlines if not i.deleted) == "Here is a MS Word cool sentence"


def test_poi_delins_deleted_paragraphs_and_insertions():
    runs = all_runs(doc("poi/delins.docx"))
    deleted = [r.text for r in runs if r.deleted]
    assert deleted[0].startswith("A pendant worn in place of the red spot (tilaka or 'tika')")
    inserted = " ".join(r.text for r in runs if r.inserted)
    assert "March 2009: Apache Tika Release" in inserted
    assert "extremely well" in inserted


def test_tika_792_moves_with_nested_changes():
    ps = [p for p in paragraphs(doc("poi/Tika-792.docx")) if p.inlines]
    assert [(r.text, r.deleted, r.inserted) for r in ps[0].inlines] == [("s", True, False), (".", True, True)]
    assert [(r.text, r.deleted, r.inserted) for r in ps[1].inlines] == [("b", True, True)]
    # accepting every change leaves both paragraphs empty
    assert ["".join(r.text for r in p.inlines if not r.deleted) for p in ps] == ["", ""]


def test_pandoc_paragraph_insertion_deletion_text():
    # only paragraph marks are tracked: no text is inserted or deleted
    d = doc("pandoc/paragraph_insertion_deletion.docx")
    assert not any(r.deleted or r.inserted for r in all_runs(d))
    assert " ".join(p.text.strip() for p in paragraphs(d) if p.text) == "This is a split Paragraph."


# ------------------------------------------------------------------ tables ---


def test_merged_cells_grid():
    [table] = [b for b in doc("docx2python/merged_cells.docx").body if isinstance(b, Table)]
    assert table.columns == 4
    assert grid(table) == [
        [(0, 1, 1, "0-0"), (1, 2, 1, "0-12"), (3, 1, 1, "0-3")],
        [(0, 1, 2, "12-0"), (1, 1, 1, "1-1"), (2, 1, 1, "1-2"), (3, 1, 1, "1-3")],
        [(1, 1, 1, "2-1"), (2, 1, 1, "2-2"), (3, 1, 1, "2-3")],
        [(0, 1, 1, "3-0"), (1, 3, 2, "34-123")],
        [(0, 1, 1, "4-0")],
    ]


def test_word_tables_horizontal_and_vertical_spans():
    ts = [b for b in doc("docling/word_tables.docx").body if isinstance(b, Table)]
    assert len(ts) == 7
    assert grid(ts[1])[1] == [(0, 1, 1, "Cell 1.0"), (1, 2, 1, "Merged Cell 1.1 1.2")]
    assert grid(ts[1])[2] == [(0, 1, 1, "Cell 2.0"), (1, 2, 1, "Merged Cell 2.1 2.2")]
    assert grid(ts[3])[1] == [(0, 1, 1, "Cell 1.0"), (1, 1, 2, "Merged Cell 1.1 2.1"), (2, 1, 1, "Cell 1.2")]
    assert grid(ts[3])[2] == [(0, 1, 1, "Cell 2.0"), (2, 1, 1, "Cell 2.2")]


def test_table_header_rowspan():
    [table] = [b for b in doc("pandoc/table_header_rowspan.docx").body if isinstance(b, Table)]
    head = table.rows[0].cells
    assert [(c.text, c.row_span) for c in head[:4]] == [("A", 2), ("B", 2), ("C", 2), ("D", 2)]
    assert (head[4].text, head[4].col_span, head[4].row_span) == ("E", 3, 1)
    assert [c.text for c in table.rows[1].cells] == ["G", "H", "I"]
    assert len(table.rows) == 11 and table.columns == 8


def test_weekly_schedule_merges_and_nested_tables():
    body = doc("docx2python/Weekly Schedule.docx").body
    top = [b for b in body if isinstance(b, Table)]
    assert [(len(t.rows), t.columns) for t in top] == [(30, 5), (8, 2)]
    big = top[0]
    assert sum(c.row_span - 1 for row in big.rows for c in row.cells) == 42
    assert sum(1 for row in big.rows for c in row.cells if c.col_span > 1) == 1
    nested = [b for row in big.rows for c in row.cells for b in c.blocks if isinstance(b, Table)]
    assert [(len(t.rows), t.columns, len(t.rows[0].cells)) for t in nested] == [(1, 1, 1)] * 3


def test_libreoffice_conversion_parses_with_its_text_box_table_once():
    d = doc("docx2python/libreoffice_conversion.docx")
    ts = tables(d.body)
    # 14 w:tbl in the XML, one of them twice: in a text box's mc:Choice and its mc:Fallback
    assert len(ts) == 13
    assert sum(1 for t in ts for row in t.rows for c in row.cells if c.col_span > 1) == 59
    assert sum(c.row_span - 1 for t in ts for row in t.rows for c in row.cells) == 7
    assert paragraphs(d)[0].text.startswith("\u4e1c\u9633\u516b\u5a7a")  # Chinese text intact
    assert [b.origin for b in d.headers] == ["header1.xml", "header2.xml", "header3.xml"]


def test_symbols_typed_unicode_preserved_and_syms_kept():
    [par] = [p for p in paragraphs(doc("docx2python/symbols.docx")) if p.inlines]
    assert par.tick_boxes == []
    assert par.text == (
        "\uf068\u2260\uf0f0\u221e\u00d7\u00f7\u2265\u2264\u00b1\u2122\u00ae\u00a9\u00a5\u00a3\u20ac"
        "\u00b5\u03b1\u03b2\u03c0\u2126\u2211\uf04a\uf04b\uf084\uf0e6\uf0dd"
    )


@pytest.mark.parametrize("name", sorted(str(p.relative_to(REAL)) for p in REAL.rglob("*.docx")))
def test_every_real_document_parses_without_messages(name):
    result = parse_docx((REAL / name).read_bytes())
    assert result.value.body
    assert result.messages == []
