"""The name and birth-date comparison behind the duplicate check, and the keys stored for it."""

import importlib
from datetime import date
from pathlib import Path

from familybridge.people import matching, migrations
from familybridge.people.matching import Typed, likeness


def compare(typed: Typed, first_name: str, last_name: str, birth_date: date) -> matching.Likeness:
    return likeness(typed, first_name, last_name, birth_date, same_identifier=False)


def test_nicknames_come_from_the_dataset_both_ways_round():
    assert matching.are_nicknames("Bill", "William")
    assert matching.are_nicknames("William", "Bill")
    assert matching.are_nicknames("Jess", "Jessica")
    # Two nicknames of one name are one name too.
    assert matching.are_nicknames("Bill", "Will")
    assert not matching.are_nicknames("Maria", "Marta")
    assert matching.name_key("William") in matching.first_name_keys("Bill")


def test_names_are_compared_without_case_accents_or_punctuation():
    assert matching.normalized("  O'Brien ") == "obrien"
    assert matching.normalized("José") == "jose"
    assert matching.name_key("Riviera") == matching.name_key("Rivera")
    assert matching.name_key("123") == ""


def test_a_birth_date_is_tried_with_day_and_month_swapped_when_that_is_another_date():
    assert matching.birth_dates_to_try(date(1991, 3, 4)) == [date(1991, 3, 4), date(1991, 4, 3)]
    assert matching.birth_dates_to_try(date(1991, 3, 24)) == [date(1991, 3, 24)]
    assert matching.birth_dates_to_try(date(1991, 5, 5)) == [date(1991, 5, 5)]
    assert matching.birth_dates_to_try(None) == []


def test_the_score_says_why():
    typed = Typed("Bill", "Porter", date(1987, 4, 3))
    found = compare(typed, "William", "Porter", date(1987, 3, 4))
    assert found.shown and found.label == "Likely the same person"
    assert found.why == (
        "Birth date with day and month swapped, Bill and William are one name (nickname), same last name"
    )
    typo = compare(Typed("Jesica", "Porter", date(1990, 11, 21)), "Jessica", "Porter", date(1990, 11, 21))
    assert typo.reasons == ("same birth date", "similar first name", "same last name")


def test_a_changed_last_name_is_shown_when_first_name_and_birth_date_agree():
    found = compare(Typed("Ana", "Morales", date(1990, 4, 1)), "Ana", "Rivera", date(1990, 4, 1))
    assert found.shown and found.label == "Possibly the same person"
    assert "different last name" in found.reasons


def test_a_twin_is_a_possible_match_with_a_different_first_name_never_a_likely_one():
    found = compare(Typed("Maria", "Lopez", date(2015, 6, 1)), "Marta", "Lopez", date(2015, 6, 1))
    assert found.label == "Possibly the same person"
    assert "different first name" in found.reasons


def test_someone_else_with_only_a_similar_name_is_not_shown():
    found = compare(Typed("Ana", "Rivera", date(1990, 4, 1)), "Anna", "Rivas", date(1975, 1, 9))
    assert not found.shown


def test_the_migration_keys_the_names_of_people_already_recorded(db):
    from django.apps import apps

    from familybridge.people.models import Person

    ana = Person.objects.create(first_name="Ana", last_name="Rivera")
    Person.objects.filter(pk=ana.pk).update(first_name_key="", last_name_key="")
    # Found by name, not number, so a renumbered migration still runs here.
    [path] = Path(migrations.__file__).parent.glob("*_person_name_keys_and_relationships.py")
    migration = importlib.import_module(f"{migrations.__name__}.{path.stem}")
    migration.fill_name_keys(apps, None)
    ana.refresh_from_db()
    assert (ana.first_name_key, ana.last_name_key) == ("AN", "RFR")
