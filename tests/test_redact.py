"""The redaction engine (msp_convert.redact, issue 18): its recognisers one by one, its keyed
pseudonyms, and that nothing but identities changes in a plan. Fictional people only."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

pytest.importorskip("presidio_analyzer")

from msp_convert import read  # noqa: E402
from msp_convert.errors import InputError  # noqa: E402
from msp_convert.mapping.coverage import count  # noqa: E402
from msp_convert.model import Child, Entry, Plan, Provision, Source, WrittenBy  # noqa: E402
from msp_convert.redact import KINDS, new_key, read_key, redact  # noqa: E402
from msp_convert.redact import keys  # noqa: E402
from msp_convert.redact.numbers import uln_valid  # noqa: E402
from msp_convert.redact.walk import walk  # noqa: E402

PLANS = Path(__file__).resolve().parents[1] / "fixtures" / "plans"
KEY = bytes(range(32))
OTHER_KEY = bytes(range(50, 82))
CODE = "[0-9A-HJKMNP-TV-Z]{6}"  # Crockford base32


def make_plan(*texts: str, **child: object) -> Plan:
    """A plan whose needs summary holds ``texts``; the child Kai Dunmore unless ``child`` says otherwise."""
    details = {"name": "Kai Dunmore", "date_of_birth": dt.date(2015, 3, 14), "setting": "Brackenholt Primary School"}
    plan = Plan(source=Source(filename="kai-dunmore.docx", format="docx", sha256="ab" * 32),
                child=Child(**{**details, **child}), consent_signed_by="Sarah Dunmore")
    plan.needs.summary = [Entry(text=t) for t in texts]
    return plan


def redacted_texts(*texts: str, key: bytes = KEY, **child: object) -> list[str]:
    return [e.text for e in redact(make_plan(*texts, **child), key).value.plan.needs.summary]


def one(text: str, **child: object) -> str:
    return redacted_texts(text, **child)[0]


def counts(*texts: str) -> dict[str, int]:
    return redact(make_plan(*texts), KEY).value.counts


# keys ---------------------------------------------------------------------------------------------


def test_a_pseudonym_is_a_role_and_six_keyed_characters() -> None:
    made = keys.pseudonym(KEY, "child", "Kai Dunmore", "Child")
    assert re.fullmatch(f"Child {CODE}", made)
    assert keys.pseudonym(KEY, "child", "KAI  dunmore.", "Child") == made  # normalised: case, spaces, punctuation
    assert keys.pseudonym(OTHER_KEY, "child", "Kai Dunmore", "Child") != made
    assert keys.pseudonym(KEY, "staff", "Kai Dunmore", "Child") != made  # the kind is keyed too


def test_base32_is_crockfords() -> None:
    assert keys.base32(b"\x00\x00\x00\x00\x00", 8) == "00000000"
    assert keys.base32(b"\xff\xff\xff\xff\xff", 8) == "ZZZZZZZZ"
    assert keys.base32(bytes([0b00001_000, 0b10_00000_0]), 3) == "120"


def test_the_stem_is_keyed_by_the_source_and_names_nobody() -> None:
    result = redact(make_plan("Nothing here."), KEY).value
    assert re.fullmatch(r"plan-[a-z2-7]{10}", result.stem)
    assert result.plan.source.filename == result.stem + ".docx"
    assert result.plan.source.sha256 != "ab" * 32 and re.fullmatch("[0-9a-f]{64}", result.plan.source.sha256)
    assert redact(make_plan("Other text."), KEY).value.stem == result.stem  # same file, same key
    assert redact(make_plan("Nothing here."), OTHER_KEY).value.stem != result.stem


def test_new_key_is_random_and_read_key_refuses_a_short_or_missing_file(tmp_path: Path) -> None:
    assert len(new_key()) == 32 and new_key() != new_key()
    good = tmp_path / "key"
    good.write_bytes(b"0123456789abcdef0123\n")
    assert read_key(good) == b"0123456789abcdef0123"
    short = tmp_path / "short"
    short.write_bytes(b"too short\n")
    for path in (short, tmp_path / "missing"):
        with pytest.raises(InputError) as err:
            read_key(path)
        assert "\n" not in str(err.value) and "msp-convert new-key FILE" in str(err.value)


# the child ----------------------------------------------------------------------------------------


def test_the_child_full_first_surname_possessive_and_initials_are_one_pseudonym() -> None:
    texts = redacted_texts("Kai Dunmore reads.", "Kai's mum helps.", "Dunmore family.", "K.D. and KD and K. D. signed.")
    child = redact(make_plan(), KEY).value.plan.child.name
    assert re.fullmatch(f"Child {CODE}", child)
    assert texts == [f"{child} reads.", f"{child}'s mum helps.", f"{child} family.", f"{child} and {child} and {child} signed."]


def test_the_child_written_in_lower_case_when_the_name_is_no_english_word() -> None:
    child = redact(make_plan(), KEY).value.plan.child.name
    assert one("my name is kai dunmore and kai likes trains") == f"my name is {child} and {child} likes trains"
    assert one("a grace period", name="Grace Dunmore") == "a grace period"


def test_a_name_given_in_capitals_is_found_as_written_in_text() -> None:
    child = redact(make_plan(name="DUNMORE, Kai"), KEY).value.plan.child.name
    assert one("Dunmore and KAI DUNMORE and Kai.", name="DUNMORE, Kai") == f"{child} and {child} and {child}."


def test_the_child_is_the_same_in_two_plans_with_one_key_and_not_with_another() -> None:
    first = redact(make_plan("Kai likes trains."), KEY).value.plan
    second = redact(make_plan("Kai likes buses.", setting=None), KEY).value.plan
    third = redact(make_plan("Kai likes trains."), OTHER_KEY).value.plan
    assert first.child.name == second.child.name != third.child.name
    assert first.needs.summary[0].text.split(" likes")[0] == first.child.name


def test_the_date_of_birth_keeps_year_and_month_and_goes_from_text() -> None:
    written = ["14/03/2015", "14.3.15", "2015-03-14", "14th March 2015", "14-Mar-2015", "March 14th, 2015"]
    others = ["Reviewed 14/03/2019.", "Seen 4/03/2015.", "Seen 14/04/2015."]
    result = redact(make_plan(*(f"Born {w}." for w in written), *others), KEY).value
    assert result.plan.child.date_of_birth == dt.date(2015, 3, 1)
    assert [e.text for e in result.plan.needs.summary] == ["Born [date of birth]."] * len(written) + others
    assert result.counts["date-of-birth"] == 1 + len(written)  # the field and each written


@pytest.mark.parametrize("born", [dt.date(2014, 8, 31), dt.date(2014, 9, 1), dt.date(2015, 2, 28), dt.date(2016, 2, 29)])
def test_the_date_of_birth_kept_keeps_the_school_year_and_the_age_outside_the_birth_month(born: dt.date) -> None:
    kept = redact(make_plan(date_of_birth=born), KEY).value.plan.child.date_of_birth
    assert kept == born.replace(day=1)

    def school_year(d: dt.date) -> int:  # the cohort: 1 September to 31 August
        return d.year if d.month >= 9 else d.year - 1

    def age(d: dt.date, on: dt.date) -> int:
        return on.year - d.year - ((on.month, on.day) < (d.month, d.day))

    assert school_year(kept) == school_year(born)
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=n) for n in range(0, 3 * 366, 5)]
    assert all(age(kept, on) == age(born, on) for on in days if on.month != born.month)


def test_a_date_after_born_or_dob_is_the_date_of_birth_even_without_the_field() -> None:
    texts = redacted_texts("Born 22/02/2016.", "DOB: 3rd March 2015.", "Date of birth - March 3, 2015.",
                           "Born in 2015.", "Reviewed 22/02/2019.", date_of_birth=None)
    assert texts == ["Born [date of birth].", "DOB: [date of birth].", "Date of birth - [date of birth].",
                     "Born in 2015.", "Reviewed 22/02/2019."]


# numbers and contacts -----------------------------------------------------------------------------


def test_a_upn_is_redacted_when_its_check_letter_holds() -> None:
    from stdnum.gb import upn

    assert upn.is_valid("B801200005001") and not upn.is_valid("C801200005001")
    assert one("Pupil B801200005001 joined.") == "Pupil [UPN] joined."
    assert one("Code C801200005001 here.") == "Code C801200005001 here."


def test_an_nhs_number_is_redacted_when_its_check_digit_holds() -> None:
    assert one("Number 943 476 5919 on file.") == "Number [NHS number] on file."
    assert one("Number 943 476 5918 on file.") == "Number 943 476 5918 on file."


def test_an_nhs_number_without_its_label_is_uncertain_and_a_uk_phone_number_that_passes_its_check_is_a_phone() -> None:
    texts = ["NHS number is 943 476 5919.", "NHS 9434765919", "Ref 943 476 5919.", "Ring 016 977 2004 today."]
    result = redact(make_plan(*texts), KEY).value
    assert [e.text for e in result.plan.needs.summary] == [
        "NHS number is [NHS number].", "NHS [NHS number]", "Ref [NHS number].", "Ring [phone] today."]
    assert (result.counts["nhs-number"], result.counts["uncertain-name"], result.counts["phone"]) == (2, 1, 1)


def test_a_uln_is_redacted_when_its_check_digit_holds() -> None:
    assert uln_valid("1234567899") and not uln_valid("1234567890") and not uln_valid("0234567899")
    assert one("Learner 1234567899.") == "Learner [ULN]."
    assert one("Learner 1234567890.") == "Learner 1234567890."


def test_a_number_beside_its_label_that_fails_its_check_is_redacted_as_uncertain() -> None:
    result = redact(make_plan("NHS No: 943 476 5918", "UPN: C801200005001"), KEY)
    assert [e.text for e in result.value.plan.needs.summary] == ["NHS No: [NHS number]", "UPN: [UPN]"]
    assert result.value.counts["uncertain-name"] == 2 and result.value.counts["nhs-number"] == 0
    assert [m.code for m in result.messages] == ["redaction-uncertain"]


def test_phones_emails_postcodes_and_addresses() -> None:
    assert one("Ring 07700 900123 or +44 20 7946 0958.") == "Ring [phone] or [phone]."
    assert one("Dad works away (+44 20 7946 0958).") == "Dad works away ([phone])."  # brackets stay paired
    assert one("Office +44 (0)113 496 0702 or 0113-496-0702.") == "Office [phone] or [phone]."
    assert one("Phones 0113 496 0702 07451 900347.") == "Phones [phone] [phone]."
    assert one("Costs 0.5 and 01234 and 2019-2020.") == "Costs 0.5 and 01234 and 2019-2020."
    assert one("Mail sarah.d@example.co.uk today.") == "Mail [email] today."
    assert one("Lives at 12 Acacia Avenue, Hudley HD1 2AB.") == "Lives at [address] [postcode]."
    assert one("Lives at 12 Acacia Avenue. Happy there.") == "Lives at [address]. Happy there."
    assert one("Costs 12500 a year; 20 minutes 3 times a week.") == "Costs 12500 a year; 20 minutes 3 times a week."
    assert counts("Ring 07700 900123.", "HD1 2AB")["phone"] == 1


# adults -------------------------------------------------------------------------------------------


def test_staff_with_a_role_become_the_role_and_without_one_a_pseudonym() -> None:
    texts = redacted_texts("Mrs Rowe (Class teacher) reads.", "Mrs Rowe, class teacher, said so.",
                           "See Dr A. Patel.", "See Dr Patel.")
    assert texts[:2] == ["Class teacher reads.", "Class teacher, said so."]
    assert re.fullmatch(f"See Staff {CODE}.", texts[2]) and texts[3] == texts[2]


def test_family_from_the_signature_and_after_a_relation() -> None:
    texts = redacted_texts("Sarah Dunmore signed.", "Mum (Sarah) came.", "I see my brother Tom and Nan Jean.")
    parent = texts[0].removesuffix(" signed.")
    assert re.fullmatch(f"Parent {CODE}", parent)
    assert texts[1] == f"Mum ({parent}) came."  # the cast knows Sarah: one pseudonym
    assert re.fullmatch(f"I see my brother Relative {CODE} and Nan Relative {CODE}.", texts[2])
    assert counts("Mum (Sarah) came.", "my brother Tom")["family"] == 3  # the signature's field too
    assert re.fullmatch(f"Child {CODE}'s dad, Parent {CODE}, works shifts.", one("Kai's dad, Lee, works shifts."))


def test_a_helper_with_a_staff_role_is_staff_and_without_one_family() -> None:
    plan = make_plan("Written with Mrs Rowe.")
    plan.profile.written_by = WrittenBy(me_with_help=True, helper="Mrs Rowe (Class teacher)")
    plan.story.written_by = WrittenBy(helper="Jean Tillot")
    plan.family.written_by = WrittenBy(helper="Mum (Sarah)")
    plan.provision = [Provision(outcome_number=1, who=[Entry(text="Dr A. Patel"), Entry(text="TA")])]
    result = redact(plan, KEY).value
    assert result.plan.profile.written_by.helper == "Class teacher"
    assert re.fullmatch(f"Parent {CODE}", result.plan.story.written_by.helper or "")
    assert re.fullmatch(f"Mum \\(Parent {CODE}\\)", result.plan.family.written_by.helper or "")
    assert re.fullmatch(f"Staff {CODE}", result.plan.provision[0].who[0].text)
    assert result.plan.provision[0].who[1].text == "TA"


def test_schools_and_the_setting() -> None:
    texts = redacted_texts("Moved from St Aidan's C of E Primary School.", "At Brackenholt Primary School now.",
                           "Visits to Castlefield Academy.", "Ready for Secondary School and Forest School.")
    assert re.fullmatch(f"Moved from School {CODE}.", texts[0])
    assert re.fullmatch(f"At School {CODE} now.", texts[1])
    assert re.fullmatch(f"Visits to School {CODE}.", texts[2])
    assert texts[3] == "Ready for Secondary School and Forest School."
    later = redacted_texts("Then to Westfield High.", "Brackenholt was good.", "Very High needs.", "After Brackenholt.")
    assert re.fullmatch(f"Then to School {CODE}.", later[0])
    assert later[1] == texts[1].removeprefix("At ").removesuffix(" now.") + " was good."  # its own word, learnt
    assert later[2] == "Very High needs."
    assert later[3] == "After " + later[1].removesuffix(" was good.") + "."  # the school's, not an uncertain name
    short = redacted_texts("He went to Little Acorns Nursery.", "At Little Acorns he played.", "Little things.")
    assert short[1] == "At " + short[0].removeprefix("He went to ").removesuffix(".") + " he played."
    assert short[2] == "Little things."
    assert redact(make_plan(), KEY).value.plan.child.setting == texts[1].removeprefix("At ").removesuffix(" now.")


def test_a_web_address_that_names_the_school_or_a_person_goes_whole() -> None:
    texts = ["The SEN policy is at www.brackenholt.example.org/send; ask.", "Visit https://brackenholt-pri.sch.uk.",
             "Photos at www.example.com/dunmorefamily today.", "See https://www.kirklees.gov.uk/send or report.docx, e.g. this."]
    result = redact(make_plan(*texts), KEY).value
    assert [e.text for e in result.plan.needs.summary] == [
        "The SEN policy is at [web address]; ask.", "Visit [web address].", "Photos at [web address] today.", texts[3]]
    empty = redact(make_plan(), KEY).value.counts  # the child's name, setting, date of birth; the parent who signed
    assert result.counts == {**empty, "school": empty["school"] + 2, "child": empty["child"] + 1}
    assert redact(result.plan, KEY).value.plan.needs.summary == result.plan.needs.summary  # kept when met again



def test_a_web_address_with_a_short_first_name_as_one_of_its_words_goes() -> None:
    texts = ["His blog: www.example.org/kai-maps now.", "Try www.kaiser.example.com today."]
    assert redacted_texts(*texts) == ["His blog: [web address] now.", texts[1]]  # "kai" a word, not inside one


@pytest.mark.parametrize("length", [5_000, 9_000])
def test_a_web_address_longer_than_a_piece_of_a_long_text_goes_whole(length: int) -> None:
    text = "Kai likes maps. " * 300 + "See www.example.org/" + "a" * length + "/brackenholt-send for more."
    result = redact(make_plan(text), KEY).value
    assert result.plan.needs.summary[0].text == "Kai likes maps. ".replace("Kai", result.plan.child.name) * 300 \
        + "See [web address] for more."
    assert result.counts["school"] == 2  # the child's setting and the address



def test_the_name_list_finds_what_presidios_deny_list_found() -> None:
    from presidio_analyzer import PatternRecognizer

    from msp_convert.redact.names import NameList
    from msp_convert.redact.spans import CASE_SENSITIVE
    forms = ["Kai", "Kai Dunmore", "KAI", "Dunmore", "N.H.", "N. H.", "NH", "O'Brien", "Ana-María", "Ana", "(Sam)", "Zoë"]
    text = ("Kai Dunmore, Kai's mum, KAI and Kaiden; N.H. met N. H. and NH-ish O'Brien; Ana-María, Ana-Marie, Ana."
            " Sam (Sam) x(Sam) Zoë Zoëy DunmoreX _Kai Kai_ 2Kai Kai2 Kai\nDunmore")
    deny = PatternRecognizer("PERSON", deny_list=sorted(forms, key=len, reverse=True), global_regex_flags=CASE_SENSITIVE)
    expected = [(f.start, f.end) for f in deny.analyze(text, ["PERSON"], None)]
    assert list(NameList(forms).find(text)) == sorted(expected)
    assert [text[a:b] for a, b in expected] == ["Kai Dunmore", "Kai", "KAI", "N.H.", "N. H.", "NH", "O'Brien",
                                                "Ana-María", "Ana", "Ana", "(Sam)", "Zoë", "Kai", "Dunmore"]

# uncertain names ----------------------------------------------------------------------------------


def test_an_unknown_capitalised_word_inside_a_sentence_is_an_uncertain_name() -> None:
    result = redact(make_plan("He plays with Zorblat at break.", "Quorvin is first here.", "Zorblat"), KEY)
    texts = [e.text for e in result.value.plan.needs.summary]
    assert re.fullmatch(f"He plays with Person {CODE} at break.", texts[0])
    assert texts[1] == "Quorvin is first here."  # a sentence's first word is not judged alone...
    assert texts[2] == texts[0].split()[3] + " " + texts[0].split()[4]  # ...unless found inside a sentence elsewhere
    assert result.value.counts["uncertain-name"] == 2
    warning = [w for w in result.value.plan.warnings if w.code == "redaction-uncertain"]
    assert len(warning) == 1 and warning[0].where == "needs.summary[0].text; needs.summary[2].text"
    assert "Zorblat" not in warning[0].message and "2 words" in warning[0].message
    assert [m.where for m in result.messages] == [warning[0].where]


def test_a_sentence_s_first_word_before_an_uncertain_name_is_one_too() -> None:
    text = one("Respite carer: Quorvin Holtwhistle (one weekend a month). Quorvin is kind.")
    assert re.fullmatch(f"Respite carer: Person {CODE} \\(one weekend a month\\). Person {CODE} is kind.", text)


def test_an_o_apostrophe_surname_is_a_name_word_even_at_a_cell_s_start() -> None:
    texts = redacted_texts("Siobh\u00e1n O'Quorvin", "We ask D\u2019Quorvina today.")
    assert re.fullmatch(f"Person {CODE}", texts[0])  # a table cell holding a name alone
    assert re.fullmatch(f"We ask Person {CODE} today.", texts[1])


def test_capitalised_words_side_by_side_are_one_uncertain_name_and_their_parts_go_with_it() -> None:
    result = redact(make_plan("Contact: Quorvin Holtwhistle.", "Holtwhistle rang."), KEY).value
    texts = [e.text for e in result.plan.needs.summary]
    person = texts[0].removeprefix("Contact: ").removesuffix(".")
    assert re.fullmatch(f"Person {CODE}", person) and texts[1] == f"{person} rang."
    assert result.counts["uncertain-name"] == 2


def test_an_english_word_before_an_uncertain_surname_is_the_first_name() -> None:
    texts = redacted_texts("Social worker: Tom Quorvington (Children's Services)", "Then Quorvington rang.")
    person = texts[0].removeprefix("Social worker: ").removesuffix(" (Children's Services)")
    assert re.fullmatch(f"Person {CODE}", person)
    assert texts[1] == f"Then {person} rang."  # the surname alone, learnt with the name


def test_the_initials_of_an_uncertain_full_name_go_with_it() -> None:
    texts = redacted_texts("Pupil: Quorvin Holtwhistle (Q.H.).", "QH points to pictures.", name=None)
    person = texts[0].removeprefix("Pupil: ").split(" (")[0]
    assert texts == [f"Pupil: {person} ({person}).", f"{person} points to pictures."]


def test_a_name_learnt_in_one_place_is_redacted_in_a_struck_fragment() -> None:
    plan = make_plan()
    plan.profile.important_now = [Entry(text="Playing with Marnie and Tobias", struck=["Marnie"])]
    entry = redact(plan, KEY).value.plan.profile.important_now[0]
    assert re.fullmatch(f"Playing with Person {CODE} and Person {CODE}", entry.text)
    assert entry.struck == [entry.text.split(" and ")[0].removeprefix("Playing with ")]


def test_a_first_name_before_the_family_surname_is_a_relative() -> None:
    text = one("Kai lives with Sarah and Lee Dunmore.")
    assert re.fullmatch(f"Child {CODE} lives with Parent {CODE} and Relative {CODE}.", text)


def test_names_in_any_alphabet_and_with_apostrophes() -> None:
    text = one("He sits with Zoë and Łukasz; my brother Tom's bike; Mrs O'Brien (TA) helps.")
    assert re.fullmatch(f"He sits with Person {CODE} and Person {CODE}; my brother Relative {CODE}'s bike; TA helps.", text)


def test_sen_and_school_terms_months_days_subjects_are_not_names() -> None:
    text = ("He uses Numicon, Makaton and PECS with the SENCO; CAMHS saw him in September. "
            "Lego Therapy on Tuesdays, Zones of Regulation and Read Write Inc in English and Maths.")
    assert one(text) == text
    assert counts(text)["uncertain-name"] == 0


def test_a_first_name_that_is_also_a_word_is_a_name_inside_a_sentence() -> None:
    texts = redacted_texts("Skipping with Poppy and Daisy at lunchtime.", "He sat with Grace Baker.", "Poppy is kind.")
    assert re.fullmatch(f"Skipping with Person {CODE} and Person {CODE} at lunchtime.", texts[0])
    assert re.fullmatch(f"He sat with Person {CODE}.", texts[1])  # a surname that is a word goes with it
    poppy = texts[0].split(" and ")[0].removeprefix("Skipping with ")
    assert texts[2] == f"{poppy} is kind."  # a sentence's first word, learnt inside a sentence elsewhere


def test_a_first_name_that_is_a_word_stays_a_word_beside_an_ordinary_word_or_first_in_a_sentence() -> None:
    kept = ["Golden Time and Circle Time on Christmas Eve, 12 May 2024, in the Summer term.",
            "Holly is kind.", "Roman numerals and the Mark Making area."]
    assert redacted_texts(*kept) == kept
    assert counts(*kept)["uncertain-name"] == 0


def test_a_country_that_is_a_first_name_is_a_name_unless_written_as_the_place() -> None:
    names = one("Kai plays with Jordan, India and Chad; he sits in Georgia's group.")
    assert re.fullmatch(f"Child {CODE} plays with Person {CODE}, Person {CODE} and Person {CODE}; "
                        f"he sits in Person {CODE}'s group.", names), names
    places = ("The family moved from Jordan in 2019, had a holiday in India, flew to Chad and lives in Georgia; "
              "born in Israel, relatives in Jordan.")
    assert one(places) == places


@pytest.mark.parametrize("text", ["Kai sits with Ellie Tudor.", "Kai sits with Tom Saxon.", "Kai sits with Ruby Tudor.",
                                  "Kai sits with Ava Viking."])
def test_a_surname_that_is_a_history_topic_goes_with_the_first_name(text: str) -> None:
    assert re.fullmatch(f"Child {CODE} sits with Person {CODE}.", one(text)), one(text)


def test_history_topics_in_the_plural_and_rag_ratings_stay() -> None:
    kept = ["We did the Tudors, the Saxons and the Vikings.", "Progress is Green for reading and Amber for maths.",
            "Outcome rated Red, Amber or Green.", "RAG: Amber."]
    assert redacted_texts(*kept) == kept
    assert counts(*kept)["uncertain-name"] == 0


@pytest.mark.parametrize("text", ["Kai confides in Georgia at lunch.", "Kai visits Jordan every weekend.",
                                  "Kai is interested in Jordan and Lego.", "His best friend is in Israel.",
                                  "Kai visited India after school.", "He went to Georgia for help."])
def test_a_country_that_is_a_first_name_after_a_bare_in_or_visit_is_a_name(text: str) -> None:
    country = next(w for w in ("Georgia", "Jordan", "Israel", "India") if w in text)
    redacted = one(text)
    assert country not in redacted and re.search(f"Person {CODE}", redacted), redacted


@pytest.mark.parametrize("text", ["Kai plays with Amber at break.", "Amber Smith helps Kai.", "Kai sits next to Amber."])
def test_amber_is_a_name_unless_it_rates_something(text: str) -> None:
    redacted = one(text)
    assert "Amber" not in redacted and re.search(f"Person {CODE}", redacted), redacted


# the whole model ----------------------------------------------------------------------------------


def strings_of(plan: Plan) -> dict[str, str]:
    found: dict[str, str] = {}
    walk(plan.model_dump(mode="python"), "", lambda text, path: found.setdefault(path, text))
    return found


def without_strings(value: object) -> object:
    if isinstance(value, str):
        return "<text>"
    if isinstance(value, list):
        return [without_strings(v) for v in value]
    if isinstance(value, dict):
        return {k: without_strings(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("name", ["04-ks2-autism.docx", "12-ks4-eal-sen.docx"])
def test_on_a_real_fixture_only_identities_change(name: str) -> None:
    plan = read(PLANS / name)
    result = redact(plan, KEY).value
    before, after = plan.model_dump(mode="python"), result.plan.model_dump(mode="python")
    for part in ("source", "coverage", "warnings", "child"):
        before.pop(part), after.pop(part)
    assert without_strings(after) == without_strings(before)  # ticks, numbers, costs, dates, flags, shape
    names = [plan.child.name.split()[0], "Mrs ", "Miss ", "Mr "]
    old, new = strings_of(plan), strings_of(result.plan)
    changed = [p for p in old if old[p] != new[p] and not p.startswith(("source", "coverage"))]
    assert changed and all(any(n in old[p] for n in names) or p.startswith(("child", "consent")) or "helper" in p
                           for p in changed)
    assert set(result.counts) == set(KINDS) and result.counts["child"] >= 10


def test_a_recogniser_that_gives_up_stops_the_redaction_whatever_presidio_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    from presidio_analyzer import pattern_recognizer

    from msp_convert.redact import RedactionIncomplete

    monkeypatch.setattr(pattern_recognizer, "REGEX_TIMEOUT_SECONDS", 1e-9)  # every search gives up at once
    monkeypatch.setattr(logging.getLogger("presidio-analyzer"), "disabled", True)  # and presidio says nothing
    with pytest.raises(RedactionIncomplete) as err:
        redact(make_plan("Kai Dunmore, NHS number 943 476 5919"), KEY)
    assert isinstance(err.value, InputError) and err.value.code == "redaction-incomplete"
    assert "Kai" not in str(err.value) and "\n" not in str(err.value)
    monkeypatch.undo()
    assert redact(make_plan("Kai Dunmore"), KEY).value  # the next plan, searched in time, is redacted


def test_without_the_word_list_redaction_stops_with_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from msp_convert.redact import words

    monkeypatch.setattr(words, "WORD_LIST", tmp_path / "missing")
    words.english.cache_clear()
    try:
        with pytest.raises(InputError) as err:
            redact(make_plan("He plays with Zorblat."), KEY)
        assert err.value.code == "word-list-missing" and "wbritish" in str(err.value)
    finally:
        words.english.cache_clear()


def test_odd_text_is_redacted_without_error() -> None:
    odd = ["Mr Mrs Ms Dr", "+44 (0)" * 50, "(((((", "0" * 500, "A" * 300 + "@b.com", "Mrs " * 100, "\ufffd\u200b\u0301x"]
    result = redact(make_plan(*odd), KEY).value
    assert len(result.plan.needs.summary) == len(odd) and result.plan.needs.summary[2].text == "((((("


def test_names_in_capitals_beyond_the_model_s_own() -> None:
    staff = one("Mrs Quillby came.")[:-len(" came.")]
    assert one("Mrs QUILLBY (Class teacher) came.") == "Class teacher came."
    assert one("Mrs QUILLBY came; then QUILLBY and Quillby left.") == f"{staff} came; then {staff} and {staff} left."
    friend = one("Kai plays with his friend Tomasz.").split()[-2:]
    assert one("Kai plays with his friend Tomasz. TOMASZ IS HERE.").endswith(" ".join(friend)[:-1] + ". " + " ".join(friend)[:-1] + " IS HERE.")
    assert one("Mr TA and Mrs GREEN said: GREEN TEAM.").endswith("said: GREEN TEAM.")


def test_american_spellings_and_nationalities_are_words_not_names() -> None:
    text = "She went to the Child Development Center and the Behavior Team; her Brazilian and Nigerian friends too."
    assert one(text) == text
    assert one("He saw Quorvin at the Center.").startswith("He saw Person ")


def test_letters_of_scripts_without_capitals_are_no_names() -> None:
    texts = ["中标结果公告于浙江省政府采购网", "symbols: µαβπΩ and πʬ here", "Она читает с Ольгой"]
    assert redacted_texts(*texts) == texts[:2] + ["Она читает с Person " + redacted_texts("Она читает с Ольгой")[0][-6:]]
    assert counts(*texts[:2])["uncertain-name"] == 0


@pytest.mark.parametrize("name", ["04-ks2-autism.docx", "10-ks2-selective-mutism.docx"])
def test_a_redacted_plan_redacted_again_is_unchanged(name: str) -> None:
    once = redact(read(PLANS / name), KEY).value
    twice = redact(once.plan, KEY).value
    assert strings_of(twice.plan) | {"source.filename": ""} == strings_of(once.plan) | {"source.filename": ""}
    assert twice.plan.child == once.plan.child
    assert sum(twice.counts.values()) == twice.counts["date-of-birth"] == 1  # the field, 1st of the month again


def test_two_staff_in_one_who_entry_are_two_people() -> None:
    plan = make_plan("Quorvin helps.")
    plan.provision = [Provision(outcome_number=1, who=[Entry(text="Mrs Quillby and Mr Osterfeld")])]
    text = redact(plan, KEY).value.plan.provision[0].who[0].text
    assert re.fullmatch(f"Staff ({CODE}) and Staff ({CODE})", text) and len(set(text.split(" and "))) == 2


def test_the_original_plan_is_not_changed_and_the_coverage_is_recounted() -> None:
    plan = read(PLANS / "04-ks2-autism.docx")
    copy = plan.model_copy(deep=True)
    result = redact(plan, KEY).value
    assert plan == copy
    # "Ethan" (1 word) became "Child XXXXXX" (2 words) wherever placed: counted as mapping.coverage counts afresh
    assert result.plan.coverage.placed > plan.coverage.placed
    assert result.plan.coverage == count(result.plan)


@pytest.mark.parametrize("name", ["01-eyfs-speech-language.docx", "12-ks4-eal-sen.docx"])
def test_the_coverage_is_what_a_fresh_count_gives(name: str) -> None:
    result = redact(read(PLANS / name), KEY).value
    assert result.plan.coverage == count(result.plan)


# long text: searched in pieces, its work linear ------------------------------------------------------------

LONG_UNIT = ("Kai read with Mrs Quillby (Class teacher) in Brackenholt Primary School and called 01632 960123.\n"
             "Then he talked about his week with the group, and he asked for help when he needed it. ")


def test_a_50000_word_entry_is_redacted_with_work_in_proportion_to_its_length(monkeypatch: pytest.MonkeyPatch) -> None:
    from presidio_analyzer import EntityRecognizer

    settled: list[int] = []  # presidio's duplicate removal is pairwise: its work grows as the square of each batch
    original = EntityRecognizer.remove_duplicates
    monkeypatch.setattr(EntityRecognizer, "remove_duplicates",
                        staticmethod(lambda results: settled.append(len(results)) or original(results)))
    repeats = 50_000 // len(LONG_UNIT.split()) + 1
    assert len((LONG_UNIT * repeats).split()) > 50_000
    result = redact(make_plan(LONG_UNIT * repeats), KEY).value
    text = result.plan.needs.summary[0].text
    assert not re.search(r"Kai|Quillby|Brackenholt|01632", text)
    # each repeat once; the child's name and setting fields once more
    assert [result.counts[k] for k in ("child", "staff", "school", "phone")] == [repeats + 1, repeats, repeats + 1, repeats]
    pairs = sum(n * n for n in settled)
    assert max(settled) <= 150 and pairs <= 500 * repeats  # a batch no larger than a piece's matches


def test_a_long_text_in_small_pieces_is_redacted_as_a_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    from msp_convert.redact import pieces

    text = ("Mum (Sarah) said Kai was born 14/03/2015; Dr A. Patel, speech therapist, saw Zorbel Quint at 12 Acacia "
            "Road, Leeds. Nan Jean came too.\n") * 40
    whole = redact(make_plan(text), KEY).value
    monkeypatch.setattr(pieces, "SIZE", 90)
    monkeypatch.setattr(pieces, "OVERLAP", 50)
    cut = list(pieces.pieces(text))
    assert len(cut) > 40 and cut[0].core_start == 0 and cut[-1].core_end == len(text)
    assert all(a.core_end == b.core_start for a, b in zip(cut, cut[1:]))  # the cores tile the text
    assert all(p.core_start - p.start >= 50 or p.start == 0 for p in cut)
    assert redact(make_plan(text), KEY).value == whole


def test_a_long_text_without_spaces_or_breaks_is_cut_anywhere() -> None:
    text = "x" * 20_000 + " Kai"
    from msp_convert.redact.pieces import SIZE, pieces

    assert [p.core_end for p in pieces(text)][:2] == [SIZE, 2 * SIZE]
    assert redact(make_plan(text), KEY).value.plan.needs.summary[0].text.endswith(" Child " + keys.pseudonym(
        KEY, "child", "Kai Dunmore", "Child").split()[1])


# found in review: a role that names someone, a child named with a word, a pseudonym beside a real known-as ----------


@pytest.mark.parametrize("text, gone", [
    ("Mrs Rowe (TA for Kai Dunmore) helps.", ("Rowe", "Kai", "Dunmore")),
    ("Mrs Rowe (teacher, 07700 900123) came.", ("Rowe", "07700")),
    ("Mrs Rowe (SENCO at Brackenholt) came.", ("Rowe", "Brackenholt")),
    ("Mrs Rowe, Dunmore family support worker, came.", ("Rowe", "Dunmore")),
])
def test_a_role_that_names_someone_is_not_written_for_the_name(text: str, gone: tuple[str, ...]) -> None:
    out = one(text)
    assert not any(word in out for word in gone), out


def test_a_role_of_plain_words_stands_for_the_name() -> None:
    assert one("Mrs Rowe (Class teacher) reads with him.") == "Class teacher reads with him."
    assert redacted_texts("Mr O'Neill - PE teacher", "Mrs Rowe \u2013 class teacher") == ["PE teacher", "Class teacher"]


def test_a_couple_under_one_surname_is_one_pseudonym() -> None:
    texts = redacted_texts("Mr and Mrs Dunmore came.", "Mrs Dunmore rang.", "Mr & Mrs Quillby visit.")
    parent = texts[1].removesuffix(" rang.")
    assert re.fullmatch(f"Parent {CODE}", parent) and texts[0] == f"{parent} came."  # the family's, as the cast has it
    assert re.fullmatch(f"Parent {CODE} visit.", texts[2]) and parent not in texts[2]


def test_a_name_learnt_alone_is_the_full_name_it_is_the_first_part_of() -> None:
    texts = redacted_texts("Within weeks Noor will read.", "Pupil: Noor Haddad.", "Then Haddad left.", name=None)
    person = texts[1].removeprefix("Pupil: ").removesuffix(".")
    assert re.fullmatch(f"Person {CODE}", person)
    assert texts == [f"Within weeks {person} will read.", f"Pupil: {person}.", f"Then {person} left."]


@pytest.mark.parametrize("name, text", [("April Jones", "April loves drawing. Today April was happy."),
                                        ("Will Brown", "Will loves drawing.")])
def test_every_part_of_the_child_s_name_goes_even_a_word(name: str, text: str) -> None:
    out = one(text, name=name)
    assert name.split()[0] not in out and re.search(f"Child {CODE}", out)


def test_a_pseudonym_in_the_name_field_leaves_the_known_as_to_find() -> None:
    assert "Kai" not in one("Kai went to the park.", name="Child ABCDEF", known_as="Kai")


def test_two_people_with_one_role_stay_two_and_a_pseudonym_written_twice_stays_twice() -> None:
    assert one("Mrs Rowe (TA) Mr Shah (TA) help.") == "TA TA help."
    assert one("Child ABCDEF Child ABCDEF met.") == "Child ABCDEF Child ABCDEF met."  # pseudonyms kept as written
