"""Tests for the personal-identity-number guard (app.personnummer).

Every number below was worked out by hand. The Luhn check on the ten digits YYMMDDNNNN uses the
weights 2, 1, 2, 1, … from the left; a product of two digits (10..18) counts as the sum of its
digits (product - 9); the total must be a multiple of ten, so the check digit is
(10 - sum of the first nine) mod 10.

    8112189876  8*2=16->7, 1, 1*2=2, 2, 1*2=2, 8, 9*2=18->9, 8, 7*2=14->5, 6
                7+1+2+2+2+8+9+8+5+6 = 50 -> valid                      (811218-9876)
    8112189875  same first nine (44), last 5 -> 49 -> invalid         (811218-9875)
    811278987?  coordination number, day 18+60 = 78:
                7, 1, 2, 2, 7*2=14->5, 8, 9, 8, 5 = 47 -> check 3    (811278-9873)
    811318987?  month 13: 7, 1, 2, 3, 2, 8, 9, 8, 5 = 45 -> check 5  (811318-9875, bad date)
    810229987?  7, 1, 0, 2, 2*2=4, 9, 9, 8, 5 = 45 -> check 5        (810229-9875)
    800229987?  7, 0, 0, 2, 4, 9, 9, 8, 5 = 44 -> check 6            (800229-9876)
    000229987?  0, 0, 0, 2, 4, 9, 9, 8, 5 = 37 -> check 3            (000229-9873)
    810431987?  7, 1, 0, 4, 3*2=6, 1, 9, 8, 5 = 41 -> check 9        (810431-9879, 31 April)
    811260987?  7, 1, 2, 2, 6*2=12->3, 0, 9, 8, 5 = 37 -> check 3    (811260-9873, day 60-60=0)
    811291987?  7, 1, 2, 2, 9*2=18->9, 1, 9, 8, 5 = 44 -> check 6    (811291-9876, 31 Dec)
    811292987?  7, 1, 2, 2, 9, 2, 9, 8, 5 = 45 -> check 5            (811292-9875, day 32)
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Annotated

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import BaseModel, Field, ValidationError
from pydantic_core import PydanticCustomError

from app.errors import field_errors_from_validation
from app.personnummer import (
    ERROR_MESSAGE,
    ERROR_TYPE,
    REDACTED,
    FreeText,
    contains_personal_identity_number,
    luhn_valid,
    normalise,
    redact,
    reject_personal_identity_number,
)
from tests.privacy import ALL_VARIANTS

VALID = "811218-9876"
VALID_DIGITS = "8112189876"


def _check_digit(nine: str) -> str:
    """Luhn check digit for YYMMDDNNN, computed independently of the module under test."""
    total = 0
    for index, char in enumerate(nine):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return str((10 - total % 10) % 10)


def test_hand_computed_check_digits_agree_with_helper() -> None:
    assert _check_digit("811218987") == "6"
    assert _check_digit("811278987") == "3"
    assert _check_digit("811318987") == "5"
    assert _check_digit("810229987") == "5"
    assert _check_digit("800229987") == "6"
    assert _check_digit("000229987") == "3"
    assert _check_digit("810431987") == "9"
    assert _check_digit("811260987") == "3"
    assert _check_digit("811291987") == "6"
    assert _check_digit("811292987") == "5"


# --- luhn_valid ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("8112189876", True),
        ("8112189875", False),
        ("8112789873", True),
        ("79927398713", True),  # the textbook Luhn example
        ("79927398710", False),
        ("0", True),
        ("0000000000", True),
        ("", False),
        ("811218-9876", False),
        ("81121898a6", False),
        ("８１１２１８９８７６", False),  # full-width digits are not ASCII digits
        (" 8112189876", False),
    ],
)
def test_luhn_valid(digits: str, expected: bool) -> None:
    assert luhn_valid(digits) is expected


# --- contains_personal_identity_number: detected ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "811218-9876",
        "811218+9876",  # '+': the holder is 100 or older
        "8112189876",
        "19811218-9876",
        "198112189876",
        "19811218+9876",
        "811278-9873",  # samordningsnummer, day 18 + 60
        "8112789873",
        "19811278-9873",
        "811291-9876",  # samordningsnummer, day 31 + 60 = 91, 31 December
        "810229-9875",  # 29 Feb with a two-digit year: the century is unknown, so allowed
        "19800229-9876",  # 1980 is a leap year
        "20000229-9873",  # 2000 is a leap year (divisible by 400)
        "811218\u20139876",  # en dash, as a word processor writes it
        "811218\u22129876",  # minus sign
        "Ärende för 811218-9876 gäller",
        "Ärende för 811218-9876.",
        "(811218-9876)",
        "pnr:8112189876,",
        "abc8112189876xyz",  # only digits bound a candidate, letters do not
        "811218-9876-1",  # the separator ends the digit run
        "Rad 1\n811218-9876\nRad 3",
        "tel 070-1234567 och 811218-9876",
        "811218-9875 eller kanske 811218-9876",  # a bad look-alike before a real one
        "811218 9876",  # any single separator counts (issue 15): a space, a slash, a newline…
    ],
)
def test_detects(text: str) -> None:
    assert contains_personal_identity_number(text)


# --- contains_personal_identity_number: look-alikes accepted ----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Inga siffror här",
        "811218-9875",  # bad check digit
        "8112189875",
        "19811218-9875",
        "811278-9874",  # coordination number with a bad check digit
        "811318-9875",  # Luhn-valid, but month 13
        "19811318-9875",
        "810431-9879",  # Luhn-valid, but 31 April
        "811260-9873",  # Luhn-valid, day 60 - 60 = 0
        "811292-9875",  # Luhn-valid, day 92 - 60 = 32
        "19810229-9875",  # Luhn-valid 810229-9875, but 1981 is not a leap year
        "19000229-9873",  # Luhn-valid 000229-9873, but 1900 is not a leap year
        "0701234567890",  # phone number: a 13-digit run
        "Faktura 98112189876",  # 11-digit run containing 8112189876
        "Faktura 81121898761",  # 11-digit run starting with 8112189876
        "9198112189876",  # 13-digit run containing 198112189876
        "1811218-9876",  # 7 digits before the separator
        "811218-98761",  # 5 digits after the separator
        "0811218-9876",
        "81121-89876",  # separator in the wrong place
        "811218--9876",
        "Budget 2024: 1 234 567 kr, ärende 2024-0012",
        "tel 070-1234567",
    ],
)
def test_accepts_look_alikes(text: str) -> None:
    assert not contains_personal_identity_number(text)


@pytest.mark.parametrize("text", ALL_VARIANTS)
def test_detects_every_variant_an_attacker_would_try(text: str) -> None:
    assert contains_personal_identity_number(text)
    assert contains_personal_identity_number(f"Ärende {text} gäller")


@pytest.mark.parametrize("text", ALL_VARIANTS)
def test_redact_replaces_every_variant_with_the_marker(text: str) -> None:
    redacted = redact(f"Ärende {text} gäller")
    assert redacted == f"Ärende {REDACTED} gäller"
    assert not contains_personal_identity_number(redacted)


def test_redact_leaves_clean_text_as_it_was() -> None:
    for text in ("Socialnämnden", "ﬁnans ８１１２１８", "811218-9875", "x" * 300):
        assert redact(text) is text


def test_normalise_folds_digits_and_drops_format_characters() -> None:
    assert normalise("８１\u00ad٢\u200b3") == "8123"
    assert normalise("a\u00a0b") == "a b"


# --- property tests ---------------------------------------------------------------------------

_SURROUNDINGS = ("Ärende för {} gäller", "{}", "x{}y", "({})", "Se {}.")


@st.composite
def _numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A valid number as text, and the same number with a wrong check digit."""
    born = draw(st.dates(min_value=date(1890, 1, 1), max_value=date(2099, 12, 31)))
    coordination = draw(st.booleans())
    serial = draw(st.from_regex(r"\A[0-9]{3}\Z"))
    day = born.day + 60 if coordination else born.day
    nine = f"{born:%y%m}{day:02d}{serial}"
    check = _check_digit(nine)
    wrong = draw(st.sampled_from([d for d in "0123456789" if d != check]))
    full_year = draw(st.booleans())
    separator = draw(st.sampled_from(["-", "+", ""] if not full_year else ["-", ""]))
    prefix = f"{born.year:04d}{born:%m}{day:02d}" if full_year else nine[:6]
    template = draw(st.sampled_from(_SURROUNDINGS))
    valid = template.format(f"{prefix}{separator}{serial}{check}")
    flipped = template.format(f"{prefix}{separator}{serial}{wrong}")
    return valid, flipped


@given(_numbers())
def test_generated_numbers_are_detected_and_flipped_check_digits_are_not(
    pair: tuple[str, str],
) -> None:
    valid, flipped = pair
    assert contains_personal_identity_number(valid)
    assert not contains_personal_identity_number(flipped)


@given(st.dates(), st.from_regex(r"\A[0-9]{3}\Z"))
def test_luhn_agrees_with_the_hand_rule(born: date, serial: str) -> None:
    nine = f"{born:%y%m%d}{serial}"
    check = _check_digit(nine)
    for digit in "0123456789":
        assert luhn_valid(nine + digit) is (digit == check)


@given(
    st.from_regex(r"\A[0-9]{1,9}\Z")
    | st.from_regex(r"\A[0-9]{11}\Z")
    | st.from_regex(r"\A[0-9]{13,30}\Z")
)
def test_digit_runs_of_other_lengths_are_never_detected(run: str) -> None:
    assert not contains_personal_identity_number(f"Faktura {run} betald")


@given(st.text(alphabet=st.characters(exclude_categories=["Nd"])))
def test_text_without_digits_is_never_detected(text: str) -> None:
    assert not contains_personal_identity_number(text)


@given(st.from_regex(r"\A[0-9]{0,5}\Z"), st.from_regex(r"\A[0-9]{0,5}\Z"))
def test_a_valid_number_inside_a_longer_digit_run_is_not_detected(left: str, right: str) -> None:
    # Two extra digits make a twelve-digit run, which is a candidate in its own right
    # ("19" + 8112189876 is the same person with the century written out), so skip that length.
    assume(len(left) + len(right) not in (0, 2))
    assert not contains_personal_identity_number(f"Faktura {left}{VALID_DIGITS}{right} betald")


def test_two_extra_digits_make_a_twelve_digit_candidate_read_on_its_own() -> None:
    assert contains_personal_identity_number("198112189876")
    # The spec sets no bounds on the century: year 0081 is a real calendar date.
    assert contains_personal_identity_number("008112189876")
    # 0 + 8112189876 + 0 reads as 0811-21-89 (month 21): not a number.
    assert not contains_personal_identity_number("081121898760")


# --- the validator and the FreeText type ------------------------------------------------------


def test_reject_returns_clean_value_unchanged() -> None:
    text = "Uppföljning av 2024 års mål, ärende 811218-9875"
    assert reject_personal_identity_number(text) is text


def test_reject_raises_without_the_value() -> None:
    with pytest.raises(PydanticCustomError) as info:
        reject_personal_identity_number(f"Ärende för {VALID} gäller")
    assert info.value.type == ERROR_TYPE
    assert info.value.message() == ERROR_MESSAGE
    assert info.value.context is None
    for rendered in (str(info.value), repr(info.value)):
        assert VALID not in rendered
        assert VALID_DIGITS not in rendered


class _Comment(BaseModel):
    comment: FreeText


class _OptionalComment(BaseModel):
    comment: FreeText | None = None


class _BoundedName(BaseModel):
    # As the schemas use it: further constraints layered on FreeText.
    name: Annotated[FreeText, Field(min_length=1, max_length=200)]


def _assert_no_trace(exc: ValidationError, *secrets: str) -> None:
    errors = exc.errors(include_input=False)
    assert errors
    rendered = repr(errors)
    for secret in secrets:
        assert secret not in rendered
    for error in errors:
        for secret in secrets:
            assert secret not in error["msg"]


@pytest.mark.parametrize(
    "text",
    ["Ärende för 811218-9876 gäller", "198112189876", "samordningsnummer 811278-9873"],
)
def test_model_rejects_with_custom_error_and_no_trace(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        _Comment(comment=text)
    errors = info.value.errors(include_input=False)
    assert len(errors) == 1
    assert errors[0]["type"] == ERROR_TYPE == "personal_identity_number"
    assert errors[0]["loc"] == ("comment",)
    assert errors[0]["msg"] == ERROR_MESSAGE
    assert "ctx" not in errors[0]
    _assert_no_trace(info.value, text, VALID, VALID_DIGITS, "8112789873", "811278")


def test_error_message_is_the_agreed_text() -> None:
    assert ERROR_MESSAGE == (
        "contains a Swedish personal identity number or coordination number; "
        "remove it (the service never stores them)"
    )


def test_model_accepts_look_alike() -> None:
    assert _Comment(comment="Faktura 0701234567890").comment == "Faktura 0701234567890"


def test_optional_free_text_accepts_none_and_still_checks_strings() -> None:
    assert _OptionalComment().comment is None
    assert _OptionalComment(comment=None).comment is None
    assert _OptionalComment(comment="Inget att se här").comment == "Inget att se här"
    with pytest.raises(ValidationError) as info:
        _OptionalComment(comment=VALID)
    assert [e["type"] for e in info.value.errors()] == [ERROR_TYPE]
    _assert_no_trace(info.value, VALID)


def test_constraints_layered_on_free_text_keep_the_check() -> None:
    assert _BoundedName(name="Socialnämnden").name == "Socialnämnden"
    with pytest.raises(ValidationError) as info:
        _BoundedName(name=f"Enhet {VALID}")
    assert [e["type"] for e in info.value.errors()] == [ERROR_TYPE]
    with pytest.raises(ValidationError) as info:
        _BoundedName(name="")
    # Constraints layered outside FreeText run after the identity check; pydantic then reports the
    # generic "too_short" rather than "string_too_short".
    assert [e["type"] for e in info.value.errors()] == ["too_short"]


def test_free_text_in_json_schema_is_a_plain_string() -> None:
    assert _Comment.model_json_schema()["properties"]["comment"]["type"] == "string"


def test_api_field_errors_carry_no_trace() -> None:
    # The API's 422 handler builds its body from exactly these field errors.
    with pytest.raises(ValidationError) as info:
        _Comment(comment=f"Ärende för {VALID} gäller")
    field_errors = field_errors_from_validation(info.value.errors())
    assert [(e.field, e.code) for e in field_errors] == [("comment", ERROR_TYPE)]
    dumped = repr([e.model_dump() for e in field_errors])
    assert VALID not in dumped
    assert VALID_DIGITS not in dumped


def test_nothing_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG), pytest.raises(ValidationError):
        _Comment(comment=f"Ärende för {VALID} gäller")
    assert VALID not in caplog.text
    assert VALID_DIGITS not in caplog.text
