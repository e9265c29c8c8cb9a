"""The product speaks US English: no British spelling in what it shows or documents.

Scanned: templates, the string literals of the Python sources (messages, labels, help texts, docstrings;
not identifiers, and not migrations, which record history), the built-in questionnaires, `docs/` and
README.md. A word joined to others by underscores (a stored value or a field name) is not a word a
reader sees, so it is skipped. Proper names that use a British spelling go in ALLOWED with the file.
"""

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "src" / "familybridge"

# Each British form (matched as a whole word, any case) and the US form to write instead.
BRITISH = {
    r"programmes?": "program",
    r"(un)?authoris(e|es|ed|ing|ation|ations)": "authorize, authorization",
    r"organis(e|es|ed|ing|ation|ations|er|ers)": "organize, organization",
    r"licences?": "license",
    r"centres?": "center",
    r"summaris(e|es|ed|ing)": "summarize",
    r"recognis(e|es|ed|ing|able)": "recognize",
    r"prioritis(e|es|ed|ing|ation)": "prioritize",
    r"(minimi|maximi|finali|optimi|categori|apologi|reali|standardi|utili|normali|customi|initiali|speciali"
    r"|visuali|anonymi|pseudonymi|characteri|critici|memori|stabili|hospitali|jeopardi|familiari|personali"
    r"|scrutini|stigmati|traumati|generali|centrali|locali|itemi|institutionali|synthesi|emphasi|mobili"
    r"|legali|capitali|saniti|digiti|harmoni|moderni|neutrali|penali|sympathi)s(e|es|ed|ing|ation|ations)": "-ize",
    r"(behavio|colo|favo|hono|labo|neighbo|humo|rumo|vigo|endeavo|harbo|armo|odo|rigo|flavo|savo)"
    r"ur(s|ed|ing|ite|ites|able|al)?": "-or",
    r"judgements?": "judgment",
    r"acknowledgements?": "acknowledgment",
    r"practis(e|es|ed|ing)": "practice (the verb too)",
    r"analys(e|ed|ing)": "analyze",
    r"catalogue(s|d)?": "catalog",
    r"defences?": "defense",
    r"offences?": "offense",
    r"pretences?": "pretense",
    r"enrol(s|ment|ments)?": "enroll, enrollment",
    r"fulfil(s|ment)?": "fulfill",
    r"(instal|skil|wil)(ment|ful)": "installment, skillful, willful",
    r"(label|travel|model|counsel|signal|fuel|channel)l(ed|ing|er|ers|or|ors)": "labeled, counselor, …",
    r"ageing": "aging",
    r"whilst": "while",
    r"amongst": "among",
    r"learnt": "learned",
    r"spelt": "spelled",
    r"greys?": "gray",
    r"cheques?": "check",
    r"paediatric\w*": "pediatric",
    r"anaesthe\w*": "anesthe-",
    r"foetus(es)?": "fetus",
    r"manoeuvres?": "maneuver",
    r"sceptic\w*": "skeptic",
    r"artefacts?": "artifact",
    r"(metre|litre|fibre|theatre|calibre|spectre)s?": "-er",
    r"enquir(e|es|ed|ing|y|ies)": "inquire, inquiry",
    r"fortnights?": "two weeks",
}
WORD = re.compile(r"[A-Za-z_]+")
BRITISH_WORD = re.compile("|".join(f"(?:{pattern})" for pattern in BRITISH), re.IGNORECASE)

# (file relative to the repository, exact phrase): proper names and titles quoted from a source, and
# names in code that only a migration could change.
ALLOWED = {
    ("src/familybridge/screening/questionnaires/dast-10.json", "Centre for Addiction and Mental Health"),
    ("src/familybridge/practice/models.py", 'related_name="acknowledgements"'),
}


def _files() -> list[Path]:
    templates = [p for p in SOURCES.rglob("*") if "templates" in p.parts and p.suffix in (".html", ".txt")]
    python = [p for p in SOURCES.rglob("*.py") if "migrations" not in p.parts]
    questionnaires = list(SOURCES.rglob("questionnaires/*.json"))
    docs = list((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
    return sorted(templates + python + questionnaires + docs)


def _texts(path: Path) -> list[tuple[int, str]]:
    """(first line, text) of what a reader may see: a Python file's string literals, any other file whole."""
    source = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        return [(1, source)]
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [(token.start[0], token.string) for token in tokens if token.type == tokenize.STRING]


def _allowed(relative: str, line: str, word: str) -> bool:
    return any(path == relative and phrase in line and word in phrase for path, phrase in ALLOWED)


def british_spellings() -> list[str]:
    found = []
    for path in _files():
        relative = path.relative_to(ROOT).as_posix()
        source_lines = path.read_text(encoding="utf-8").split("\n")
        for first_line, text in _texts(path):
            for number, line in enumerate(text.split("\n"), start=first_line):
                for match in WORD.finditer(line):
                    word = match.group()
                    if "_" in word or not BRITISH_WORD.fullmatch(word):
                        continue
                    if _allowed(relative, source_lines[number - 1], word):
                        continue
                    hint = next(us for pattern, us in BRITISH.items() if re.fullmatch(pattern, word, re.IGNORECASE))
                    found.append(f"{relative}:{number}: {word!r} is British; write {hint}")
    return found


def test_the_product_and_its_docs_use_us_spelling():
    found = british_spellings()
    assert not found, (
        "British spelling found (write US English; a proper name goes in ALLOWED in tests/test_us_english.py):\n"
        + "\n".join(found)
    )


def test_the_scanner_finds_british_spelling_and_skips_identifiers_and_allowed_names():
    assert BRITISH_WORD.fullmatch("Authorised") and BRITISH_WORD.fullmatch("programme")
    assert BRITISH_WORD.fullmatch("counselling") and BRITISH_WORD.fullmatch("organisation")
    assert not BRITISH_WORD.fullmatch("labelledby") and not BRITISH_WORD.fullmatch("analyses")
    assert not any(BRITISH_WORD.fullmatch(w) for w in ("program", "authorize", "license", "center", "enrollment"))
    dast = "src/familybridge/screening/questionnaires/dast-10.json"
    assert _allowed(dast, "Harvey A. Skinner; Centre for Addiction and Mental Health (CAMH)", "Centre")
    assert not _allowed(dast, "the county mental health centre", "centre")


US_DATE_FORMATS = {
    # Django's date filter: "j M Y" is 3 Mar 2026; "M j, Y" is Mar 3, 2026.
    "templates": re.compile(r"""\|date:["'](D,? )?j [MFN]"""),
    # strftime: "%d %b %Y" is 03 Mar 2026; familybridge.dates.us_date writes Mar 3, 2026.
    "python": re.compile(r"%-?[de] %[bB]"),
}


def test_dates_in_words_are_written_the_us_way():
    found = []
    for path in _files():
        kind = "python" if path.suffix == ".py" else "templates" if "templates" in path.parts else None
        if kind is None:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            if US_DATE_FORMATS[kind].search(line):
                found.append(f"{path.relative_to(ROOT).as_posix()}:{number}: {line.strip()}")
    assert not found, (
        "Day-before-month date found: write Mar 3, 2026 (|date:\"M j, Y\" in a template, "
        "familybridge.dates.us_date in Python):\n" + "\n".join(found)
    )
