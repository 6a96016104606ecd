"""Outcomes and reviews as OCR reads their narrow columns (issue 15).

Built by hand on the neutral layout (no OCR run: fast): the Supported-by
headers and boxes and the review's "No. of outcome" column as Tesseract reads
them on the scan fixtures when a box or a number is not seen for what it is.
A paragraph read from pixels carries a confidence; a typed one does not, and
is read as typed.
"""

from __future__ import annotations

from typing import Optional

from msp_convert.layout import Cell, Document, Paragraph, Row, Run, Table
from msp_convert.mapping import map_document
from msp_convert.model import Plan, Source

SOURCE = Source(filename="scan.pdf", format="pdf", sha256="0" * 64, pages=6)
INTRO = [Paragraph([Run("Introduction to My Support Plan")]), Paragraph([Run("Section 1: About me")])]


def ocr(text: str, conf: Optional[float] = 0.9) -> Paragraph:
    """A line read from pixels (confidence 0-1), or typed (None)."""
    return Paragraph([Run(text)], confidence=conf, low=conf, page=None if conf is None else 5,
                     box=None if conf is None else (400.0, 360.0, 410.0, 370.0))


def table(*rows: list[str], conf: Optional[float] = 0.9, spans: Optional[dict[tuple[int, int], int]] = None) -> Table:
    out, width = [], 0
    for r, row in enumerate(rows):
        cells, col = [], 0
        for c, text in enumerate(row):
            span = (spans or {}).get((r, c), 1)
            cells.append(Cell([ocr(line, conf) for line in text.split("\n")] if text else [], col=col, col_span=span))
            col += span
        width = max(width, col)
        out.append(Row(cells))
    return Table(out, columns=width)


def read(*blocks: object) -> Plan:
    return map_document(Document(body=INTRO + list(blocks)), SOURCE).value  # type: ignore[arg-type]


def outcomes(header: list[str], *marks: tuple[str, str, str], conf: Optional[float] = 0.9) -> Plan:
    rows = [[f"Outcome\n{i}", f"By the end of KS2, Sam will be able to read {i} books.", *m] for i, m in enumerate(marks, 1)]
    return read(table(["Section 5: Outcomes and provision", *header], *rows, conf=conf, spans={(0, 0): 2}))


def supported(plan: Plan) -> list[tuple[Optional[bool], Optional[bool], Optional[bool]]]:
    return [(o.supported_by.education, o.supported_by.health, o.supported_by.social_care) for o in plan.outcomes]


def test_supported_by_headers_as_ocr_reads_a_narrow_column() -> None:
    # "Educatio:on" (a letter doubled, a speck read as a colon), "Care“Social" (the two lines swapped and joined)
    plan = outcomes(["Educatio:on", "__ Health", "Care\u201cSocial"], ("X", "", "X"), ("", "X", ""))
    assert supported(plan) == [(True, False, True), (False, True, False)]


def test_a_header_that_is_no_supported_by_label_is_not_taken_for_one() -> None:
    plan = outcomes(["Education", "Health", "Social worker notes"], ("X", "", "X"))
    assert supported(plan) == [(True, False, None)]  # no social care column: not read at all


def test_supported_by_boxes_read_as_letters_are_judged_by_their_shape() -> None:
    # what Tesseract made of boxes the box finder missed on the fixture scans:
    # a cross or tick ("ix]", "Xx]", "v"), an empty box's outline ("U", "LJ", "|", "[ ]"), and glyphs that are neither
    plan = outcomes(["Education", "Health", "Social Care"], ("ix]", "LJ", "U"), ("Xx]", "|", "[ ]"), ("v", "im", "LI"))
    assert supported(plan) == [(True, False, False), (True, False, False), (True, None, False)]
    assert [w.code for w in plan.warnings].count("tick-box-unknown") == 1


def test_typed_supported_by_marks_are_read_as_typed() -> None:
    # a Word plan's typed "U" or "v" in the column is a mark, as before: only pixels are read by shape
    plan = outcomes(["Education", "Health", "Social Care"], ("v", "U", ""), conf=None)
    assert supported(plan) == [(True, True, False)]


def test_an_unsure_supported_by_letter_is_flagged_where_it_was_read() -> None:
    plan = outcomes(["Education", "Health", "Social Care"], ("X", "", ""), conf=0.2)
    flagged = [w.where for w in plan.warnings if w.code == "ocr-low-confidence"]
    assert "outcomes[0].supported_by.education; page 5 [400.0 360.0 410.0 370.0]" in flagged


def review(*numbers: str, conf: Optional[float] = 0.9) -> Plan:
    rows = [[n, f"Met. Progress note {i}." if i < 4 else ""] for i, n in enumerate(numbers, 1)]
    return read(table(
        ["Section 6: Reviewing My Support Plan Date of review: 12/03/2019 1st review (R1)"],
        ["No. of outcome", "Progress towards outcomes in My Support Plan"],
        *rows, conf=conf, spans={(0, 0): 2},
    ))


def progress(plan: Plan) -> list[tuple[int, str]]:
    [r] = plan.reviews
    return [(p.outcome_number, p.text[0].text) for p in r.progress]


def test_progress_numbers_misread_by_ocr_are_numbered_in_order() -> None:
    # "1" read as "Al", "3" as "2" (the rows either side say 2 and 4), "5" as "oo", "7" as "Y"
    plan = review("Al", "2", "2", "4", "oo", "6", "Y")
    assert progress(plan) == [(1, "Met. Progress note 1."), (2, "Met. Progress note 2."), (3, "Met. Progress note 3.")]
    assert [w.code for w in plan.warnings].count("outcome-number-unread") == 4


def test_a_progress_number_out_of_step_is_kept_unless_its_neighbours_agree() -> None:
    plan = review("1", "12", "3", "4", "5", "6", "7")
    assert [n for n, _ in progress(plan)] == [1, 2, 3]
    plan = review("1", "3", "5", "", "", "", "")  # no pair of neighbours agrees: as read, no warning
    assert [n for n, _ in progress(plan)] == [1, 3, 5]
    assert "outcome-number-unread" not in [w.code for w in plan.warnings]


def test_typed_progress_numbers_are_never_renumbered() -> None:
    plan = review("1", "1", "3", "4", "5", "6", "7", conf=None)
    assert [n for n, _ in progress(plan)] == [1, 1, 3]
    assert "outcome-number-unread" not in [w.code for w in plan.warnings]


PROVISION_HEADER = ["No. of outcome", "Steps I will make towards achieving this outcome", "Short term targets",
                    "What needs to happen to help me achieve this outcome?", "Who will do it?",
                    "How often? (frequency and duration)", "Resources required (including weekly costs)"]


def provision(*rows: list[str], conf: Optional[float] = 0.9) -> Plan:
    return read(Paragraph([Run("Section 5: Outcomes and provision")]), table(PROVISION_HEADER, *rows, conf=conf))


def test_provision_rows_whose_number_did_not_read_are_numbered_in_order() -> None:
    # 04 (dithered): no number read at all; 03: "1" read as "a"; a speck read as "=" is no provision
    row = ["Sam will read", "By Easter", "Reading group", "TA", "Daily", "TA 1 hr/wk"]
    plan = provision(["", *row], ["a", *row], ["3", *row], ["4", "=", "", "", "", "", ""])
    assert [p.outcome_number for p in plan.provision] == [1, 2, 3]
    assert sum(w.code == "outcome-number-unread" for w in plan.warnings) == 2


def test_a_row_cut_by_a_page_break_or_typed_is_not_numbered() -> None:
    # the rest of a cut row fills two cells: it goes on the row before; typed rows are read as typed
    row = ["Sam will read", "By Easter", "Reading group", "TA", "Daily", "TA 1 hr/wk"]
    plan = provision(["1", *row], ["", "and write", "", "", "", "Weekly", ""])
    assert [p.outcome_number for p in plan.provision] == [1]
    assert [e.text for e in plan.provision[0].steps] == ["Sam will read", "and write"]
    assert [p.outcome_number for p in provision(["", *row], conf=None).provision] == []


def test_the_first_row_on_a_new_page_goes_on_the_row_a_page_break_cut() -> None:
    # 11: the rest of outcome 1's row fills five cells at the top of the next page; it is no outcome 2
    row = ["Sam will read", "By Easter", "Reading group", "TA", "Daily", "TA 1 hr/wk"]
    cut = table(PROVISION_HEADER, ["1", *row], ["", *row])
    for cell in cut.rows[2].cells:
        for para in cell.paragraphs():
            para.page = 6
    plan = read(Paragraph([Run("Section 5: Outcomes and provision")]), cut)
    assert [p.outcome_number for p in plan.provision] == [1]
    assert [e.text for e in plan.provision[0].steps] == ["Sam will read", "Sam will read"]


def test_a_row_under_a_number_that_spans_it_goes_on_that_outcome() -> None:
    # 11: outcome 1's number cell spans two rows; the second row has no number cell of its own
    row = ["Sam will read", "By Easter", "Reading group", "TA", "Daily", "TA 1 hr/wk"]
    spanned = table(PROVISION_HEADER, ["1", *row], ["", *row])
    first = spanned.rows[1].cells[0]
    first.row_span = 2
    spanned.rows[2].cells.pop(0)
    plan = read(Paragraph([Run("Section 5: Outcomes and provision")]), spanned)
    assert [p.outcome_number for p in plan.provision] == [1]
