"""OCR's words put right before they are placed (parsers/ocr/words.py), review markers as scans
read them (mapping/entries.py), and the form's wording recognised with a letter or two misread
(mapping/text.py). No Tesseract here: the words are as Tesseract gave them on office scans."""

from __future__ import annotations

import datetime as dt

import pytest

from msp_convert.layout import Paragraph, Run
from msp_convert.mapping.entries import make_entry, marker_lines, pieces
from msp_convert.mapping.flow import matchers
from msp_convert.mapping.text import Guidance, Respeller, Wording
from msp_convert.parsers.ocr.words import BULLET, corrected, correct
from msp_convert.template import DEFAULT_PROFILE


def fixed(line: str) -> str:
    return " ".join(corrected(line.split()))


# --- words.py ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "read, meant",
    [
        ("| might already have", "I might already have"),
        ("what ! want for my future", "what I want for my future"),
        ("what t do well", "what I do well"),
        ("when l am at school", "when I am at school"),
        ("{understand it", "I understand it"),
        ("|feel happy", "I feel happy"),
        ("what| want", "what I want"),
        ("what! want", "what I want"),
        ("1am polite and kind", "I am polite and kind"),
        ("\u2022 1am kind", "\u2022 I am kind"),
    ],
)
def test_a_capital_i_read_as_a_stroke_is_an_i(read: str, meant: str) -> None:
    assert fixed(read) == meant


@pytest.mark.parametrize(
    "line",
    [
        "Outcome 1 will be reviewed",  # a number before a word is a number
        "Transition to Year 1 in September",
        "TA 1 hr/wk",
        "bed by 1am most nights",  # the hour, not "I am"
        "1am: woke up crying",  # at the line's start, but before no word in lower case
        "Notes | Use wording",  # a stroke before a capital: a rule's remnant, not "I"
        "How do | feel when |",  # the last stroke has no word after it
        "Great! Then we went",
        "[insert name] here",  # a bracket is a bracket
        "R1 is the quiet room",
    ],
)
def test_what_is_no_misread_stays_as_read(line: str) -> None:
    want = line.replace("do | feel", "do I feel")
    assert fixed(line) == want


@pytest.mark.parametrize(
    "read, meant",
    [
        ("e\u00a2 Swimming on Saturdays", BULLET + " Swimming on Saturdays"),
        ("\u00ab Tyler lives with Mum", BULLET + " Tyler lives with Mum"),
        ("\u00abTyler lives with Mum", BULLET + " Tyler lives with Mum"),
        ("* Lego club", BULLET + " Lego club"),
        ("+ Lego club", BULLET + " Lego club"),
        ("e likes dogs", BULLET + " likes dogs"),
        ("~Jack says school is boring", BULLET + " Jack says school is boring"),
    ],
)
def test_a_bullet_misread_at_a_lines_start_is_a_bullet(read: str, meant: str) -> None:
    assert fixed(read) == meant


def test_a_bullet_misread_is_one_only_at_a_lines_start() -> None:
    assert fixed("Lego * club") == "Lego * club"
    assert fixed("costs + travel") == "costs + travel"


@pytest.mark.parametrize(
    "read, meant",
    [
        ("(R2 2O/O3/2019)", "(R2 20/03/2019)"),
        ("R1 l4/03/2019", "R1 14/03/2019"),
        ("Rl 12/03/2019: Colourful Semantics", "R1 12/03/2019: Colourful Semantics"),
        ("(RI 12/O3/2019)", "(R1 12/03/2019)"),
        ("R| - 4.7.19", "R1 - 4.7.19"),
        ("Ri - 12.3.19: Quiet table", "R1 - 12.3.19: Quiet table"),
        ("one-off (R2 - -4.7.19)\u00b0", "one-off (R2 - -4.7.19)"),
        ("discussion (R1 14/03/2019)[", "discussion (R1 14/03/2019)"),
    ],
)
def test_markers_and_their_dates_put_right(read: str, meant: str) -> None:
    assert fixed(read) == meant


@pytest.mark.parametrize("line", ["Ofsted said RI in 2018", "RI club on Tuesdays", "ratio 1O:1", "Room 2O1"])
def test_no_marker_or_date_made_from_other_words(line: str) -> None:
    assert fixed(line) == line


def test_correct_keeps_boxes_and_lines_and_spaces_an_i_that_touches_its_word() -> None:
    words = [
        ((0, 0, 40, 10), "what", 90.0, (1, 1, 1)),
        ((40, 0, 44, 10), "|", 80.0, (1, 1, 1)),  # touching "what": no space will be put between them
        ((50, 0, 80, 10), "want", 90.0, (1, 1, 1)),
        ((0, 20, 8, 30), "e\u00a2", 40.0, (1, 1, 2)),
        ((12, 20, 60, 30), "Swimming", 95.0, (1, 1, 2)),
    ]
    got = correct(words)
    assert [w[1] for w in got] == ["what", " I", "want", BULLET, "Swimming"]
    assert [(w[0], w[2], w[3]) for w in got] == [(w[0], w[2], w[3]) for w in words]


# --- review markers as scans read them ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, body, label, date",
    [
        ("College taster day R2\u2014 20th March 2019", "College taster day", "R2", dt.date(2019, 3, 20)),
        ("College taster day R2 \u2014 20th March 2019", "College taster day", "R2", dt.date(2019, 3, 20)),
        ("Wobble cushion \u00a318 one-off (R2 - -4.7.19)", "Wobble cushion \u00a318 one-off", "R2", dt.date(2019, 7, 4)),
        ("R1 \u2014 Colourful Semantics", "Colourful Semantics", "R1", None),
        ("Thrive sessions \u2014 R1", "Thrive sessions", "R1", None),
    ],
)
def test_markers_with_an_em_dash_or_a_doubled_dash(text: str, body: str, label: str, date: dt.date | None) -> None:
    written = make_entry([(text, False)])
    assert written is not None
    e = written.entry
    assert (e.text, e.review, e.review_date) == (body, label, date)


@pytest.mark.parametrize("text", ["see R1 \u2014 nothing more", "R1 is the quiet room", "in room R1", "Rl 12/03/2019 is a code"])
def test_no_marker_from_words_like_one(text: str) -> None:
    written = make_entry([(text, False)])
    assert written is not None and written.entry.review is None and written.entry.text == text


# --- the form's wording with a letter or two misread ----------------------------------------------


def test_respelling_a_word() -> None:
    r = Respeller({"communication", "and", "interaction", "inform", "ie", "parent", "child", "my", "special", "by"})
    assert r.word("tnteraction") == "interaction"  # a letter misread
    assert r.word("intorm") == "inform"
    assert r.word("intorim") == "inform"  # two edits in a long word
    assert r.word("le") == "ie"  # a look-alike letter in a short word
    assert r.word("parentichild") == "parent child"  # run together over a "/"
    assert r.word("myspecial") == "my special"  # run together
    assert r.word("interaction") is None  # already the wording's
    assert r.word("lego") is None and r.word("cat") is None and r.word("be") is None  # nothing near


PROFILE = DEFAULT_PROFILE


@pytest.mark.parametrize(
    "section, read, field",
    [
        ("reviews", "Should anything new be introduced to match the parentichild\u2019s goals and aspirations?", "new_to_introduce"),
        ("needs", "Communication and tnteraction", "communication_and_interaction"),
        ("profile", "What I enjoy doing and what I do wel", None),
    ],
)
def test_a_prompt_misread_a_letter_is_the_whole_prompt(section: str, read: str, field: str | None) -> None:
    m = matchers(PROFILE).prompts[section].match(read)
    assert m is not None and m.rest_at == len(read)  # nothing of the prompt left as an answer
    assert m.item.field == field
    assert "enjoy" in m.item.wording or field is not None


def test_a_prompt_misread_keeps_its_answer_as_written() -> None:
    w = Wording([("Communication and Interaction", "ci"), ("Should anything new be introduced?", "new")])
    m = w.match("Should anything new be intreduced: Reading buddy")
    assert m is not None and m.item == "new"
    assert "Should anything new be intreduced: Reading buddy"[m.rest_at:] == "Reading buddy"
    # a line mostly someone's own words is not respelt to fit the form
    assert w.match("Should anything new be intreduced: More reading with Sam after lunch") is None
    m = w.match("Communication and tnteraction")
    assert m is not None and m.item == "ci"


def test_guidance_misread_a_letter_is_still_guidance() -> None:
    g = Guidance(["Ie. By the end of key stage (Early Years Foundation Stage (EYFS)/ KS1/KS2/ KS3/KS4) &&& will be able to",
                  "Documents that inform My Support Plan"])
    assert "le. By the end of key stage (Early Years Foundation" in g
    assert "Documents that intorm My Support Plan" in g
    assert "Documents that Sam brought from home" not in g


@pytest.mark.parametrize(
    "line",
    [
        "Sam likes to communicate with signs and pictures",
        "He enjoys interacting with his friends at play",
        "My mum and dad help me",
        "Supported by the speech therapist",
    ],
)
def test_what_a_person_wrote_is_not_respelt_into_the_form(line: str) -> None:
    m = matchers(PROFILE)
    assert all(w.match(line) is None for w in m.prompts.values())
    assert m.headings.match(line) is None
    assert line not in m.all_guidance


# --- a marker cut from its date by a wrap in a narrow cell ------------------------------------------


def _lines(texts: list[str], from_pixels: bool = True) -> list[tuple[list, bool]]:
    out = []
    for text in texts:
        para = Paragraph([Run(text)])
        para.page, para.confidence = 1, (0.9 if from_pixels else None)
        out.append(pieces(para))
    return out


def _read(texts: list[str], from_pixels: bool = True) -> list[tuple[str, str | None, dt.date | None]]:
    made = [make_entry(line, deleted) for line, deleted in marker_lines(_lines(texts, from_pixels))]
    return [(w.entry.text, w.entry.review, w.entry.review_date) for w in made if w is not None]


def test_a_marker_cut_from_its_date_by_a_wrap_is_joined_again() -> None:
    assert _read(["R1", "12/03/2019: Colourful Semantics"]) == [("Colourful Semantics", "R1", dt.date(2019, 3, 12))]
    assert _read(["Buddy to take him to football club (R2", "20/03/2019)", "Learning mentor"]) == [
        ("Buddy to take him to football club", "R2", dt.date(2019, 3, 20)),
        ("Learning mentor", None, None),
    ]
    assert _read(["R2 -", "4.7.19 Fiddle toy"]) == [("Fiddle toy", "R2", dt.date(2019, 7, 4))]


def test_no_line_joined_but_after_a_cut_marker() -> None:
    assert _read(["Lunch in room R1", "Daily"]) == [("Lunch in room R1", None, None), ("Daily", None, None)]
    assert _read(["Thrive sessions R1", "Weekly"]) == [("Thrive sessions", "R1", None), ("Weekly", None, None)]
    # typed in Word, a marker alone on its line is as written
    assert _read(["R1", "Colourful Semantics"], from_pixels=False) == [("R1", None, None), ("Colourful Semantics", None, None)]


def test_a_word_far_longer_than_any_of_the_wording_is_left_alone() -> None:
    # a mangled file's 20,000-letter "word": its deletions would cost its length cubed (a MemoryError before)
    speller = Respeller({"interaction", "parent", "child"})
    assert speller.word("x" * 20_000) is None and speller.word("tnteraction") == "interaction"
