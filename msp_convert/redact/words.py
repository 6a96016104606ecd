"""Which capitalised words are not names: the British English word list, the form's wording, our terms.

"A known English word" is a lower-case entry of Debian's British English word
list (the ``wbritish`` package, /usr/share/dict/british-english): its
capitalised entries are proper nouns (first names among them), so they do not
count. To these are added every word of the packaged template profiles (the
form's wording) and ``terms.txt`` beside this file: SEN and school terms that
are not names (months, subjects, CAMHS, Makaton, Numicon...).

Some first names are English words too ("Poppy", "Daisy", "Grace", "Ruby"): a
capitalised one inside a sentence may be a person. ``given_names`` are the
first names of Faker's person providers (MIT; English-speaking registers: en_GB
from the ONS, en_IE, en_NZ, en_US, en_NG), ``surnames`` their last names
(en_GB, en_IE, en_US): ``names`` takes a given name that is a word for a
name when the capitalised words beside it are names too ("Poppy", "Grace
Baker"), not when one is an ordinary word ("Golden Time", "Christmas Eve").
Never the form's wording or our terms ("May", "June", "Summer" stay words).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import import_module, resources
from pathlib import Path

import faker.providers.person  # noqa: F401  # the redact extra: missing, this import fails as presidio's would

from ..errors import InputError

# Faker's person providers whose first names are given in English-speaking countries (their word-names:
# "Poppy" en_NZ, "Daisy" en_NZ/en_US, "Blessing" en_NG); others add words that are rarely names ("Mad", "Said").
GIVEN_LOCALES = ("en_GB", "en_IE", "en_NZ", "en_US", "en_NG")
SURNAME_LOCALES = ("en_GB", "en_IE", "en_US")

WORD_LIST = Path("/usr/share/dict/british-english")
INSTALL_WORD_LIST = "the British English word list is missing: install it with 'apt-get install wbritish'"
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
POSSESSIVE = re.compile(r"['\u2019]s$")  # "Poppy's", "Poppy’s": one definition, names.py's too


class WordListMissing(InputError):
    """Redaction cannot tell names from words without the word list (an install step, not the plan)."""

    code = "word-list-missing"


@lru_cache(maxsize=1)
def english() -> frozenset[str]:
    """The word list's lower-case entries."""
    try:
        lines = WORD_LIST.read_text(encoding="utf-8").split()
    except OSError:
        raise WordListMissing(INSTALL_WORD_LIST) from None
    return frozenset(w for w in lines if w.islower())


@lru_cache(maxsize=1)
def not_names() -> frozenset[str]:
    """Casefolded words that are never names: our terms and the form's wording."""
    package = resources.files("msp_convert")
    texts = [package.joinpath("redact", "terms.txt").read_text(encoding="utf-8")]
    for item in package.joinpath("templates").iterdir():
        if item.name.endswith(".toml"):
            texts.append(item.read_text(encoding="utf-8"))
    lines = (line for text in texts for line in text.splitlines() if not line.lstrip().startswith("#"))
    return frozenset(w.casefold() for line in lines for w in _WORD.findall(line))


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """First names as written ("Poppy"), but the form's wording and our terms ("May", "Summer")."""
    names = _faker_names(GIVEN_LOCALES, ("first_names", "first_names_male", "first_names_female"))
    return frozenset(n for n in names if n.casefold() not in not_names())


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    return frozenset(_faker_names(SURNAME_LOCALES, ("last_names",)))


def _faker_names(locales: tuple[str, ...], attributes: tuple[str, ...]) -> set[str]:
    """The names in Faker's person providers of ``locales`` (tuples, or weighted dicts: their keys)."""
    out: set[str] = set()
    for locale in locales:
        provider = import_module(f"faker.providers.person.{locale}").Provider
        for attribute in attributes:
            out.update(getattr(provider, attribute, None) or ())
    return out


@lru_cache(maxsize=1)
def countries_named() -> frozenset[str]:
    """Countries that are also first names ("Chad", "Georgia", "India", "Israel", "Jordan"): Faker's English
    country names among ``given_names``."""
    countries = import_module("faker.providers.address.en").Provider.countries
    return frozenset(c for c in countries if c in given_names())


def is_given_name(token: str) -> bool:
    """A first name of the lists ("Poppy", "Poppy's"), whether or not it is also an English word."""
    return POSSESSIVE.sub("", token) in given_names()


def is_name_part(token: str) -> bool:
    """A word that may be part of a person's name: no known word, or a listed first name or surname."""
    bare = POSSESSIVE.sub("", token)
    return not is_word(bare) or bare in given_names() or bare in surnames()


def is_word(token: str) -> bool:
    """True for a word that is not a name: in the word list (any case), or a term or the form's wording.
    A possessive is looked up without its "'s"; a hyphenated word only if every part is a word."""
    token = POSSESSIVE.sub("", token)
    # a hyphenated word by its parts; a run-together one ("PowerUp", "WellComm") by its capitalised parts
    parts = [p for p in re.split(r"-|(?<=[a-z])(?=[A-Z])", token) if p]
    return bool(parts) and all(_one_word(p) for p in parts)


# American spellings, by their endings, and the British ones the word list has ("Center", "Organization",
# "Behavior"): of its 9,891 proper nouns, one ("Savior") becomes a word this way.
US_ENDINGS = (("ization", "isation"), ("izations", "isations"), ("ize", "ise"), ("izes", "ises"), ("ized", "ised"),
              ("izing", "ising"), ("ter", "tre"), ("ters", "tres"), ("or", "our"), ("ors", "ours"), ("log", "logue"),
              ("ense", "ence"), ("eled", "elled"), ("eling", "elling"))


def _one_word(part: str) -> bool:
    folded = part.casefold()
    singular = folded[:-1] if folded.endswith("s") else folded  # "Sundays", "iPads"
    return folded in english() or folded in not_names() or singular in not_names() or _american(folded)


def _american(folded: str) -> bool:
    return any(folded.endswith(us) and folded[:-len(us)] + uk in english() for us, uk in US_ENDINGS)
