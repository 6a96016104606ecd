"""A stored line is looked up in the form's printed help once: in none of it, it is in no part's."""

from __future__ import annotations

from msp_convert.layout import Paragraph, Run
from msp_convert.mapping.draft import Draft
from msp_convert.mapping.flow import Flow
from msp_convert.mapping.text import Guidance, line_of, new_document
from msp_convert.model import Source
from msp_convert.template import DEFAULT_PROFILE, PROFILES


def _flow(profile) -> Flow:
    return Flow(profile, Draft(Source(filename="t.docx", format="docx", sha256="0" * 64)))


def _para(words: str, confidence: float | None = None) -> Paragraph:
    return Paragraph(inlines=[Run(words)], confidence=confidence)


def _samples(profile) -> list[str]:
    """Each part's help, whole, cut and run into the next; and lines of no help."""
    out = ["He likes the swings at break time and the red bus", "Zebras graze quietly near the old shed"]
    for section in profile.sections:
        for text in section.guidance:
            words = text.split()
            out += [text, " ".join(words[1:]), " ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2:])]
        joined = " ".join(section.guidance).split()
        out += [" ".join(joined[i : i + 9]) for i in range(0, len(joined), 7)]
    return out


def test_a_part_s_help_is_found_as_before_in_every_profile() -> None:
    for profile in PROFILES.values():
        new_document(object())
        flow = _flow(profile)
        for text in _samples(profile):
            for confidence in (None, 0.8):
                line = line_of(_para(text, confidence))
                for section in profile.sections:
                    assert flow._guidance(line, section) == (line in flow.m.guidance[section.key]), (profile.name, section.key)


def test_a_stored_line_of_no_help_is_not_looked_up_in_the_part_s(monkeypatch) -> None:
    new_document(object())
    flow = _flow(DEFAULT_PROFILE)
    asked: list[Guidance] = []
    original = Guidance._contains

    def counted(self, line):
        asked.append(self)
        return original(self, line)

    monkeypatch.setattr(Guidance, "_contains", counted)
    line = line_of(_para("He likes the swings at break time and the red bus"))
    for section in DEFAULT_PROFILE.sections:
        assert not flow._guidance(line, section)
    assert asked == [flow.m.all_guidance]
