"""The service never holds a Swedish personal identity number or coordination number.

Styrkort holds goals, statistics and pseudonymised references for social-services committees;
it has no lawful basis under the GDPR (data minimisation, art. 5.1 c, and the special care owed to
identity numbers, art. 87 and 3 kap. 10 § dataskyddslagen) to process a *personnummer* or a
*samordningsnummer*. Free text is where such numbers leak in ("Ärende för 811218-9876 gäller…"),
so every free-text and reference field is typed :data:`FreeText`, which refuses any value that
contains one.

What counts as a number here:

* the forms ``YYMMDD-NNNN``, ``YYMMDD+NNNN``, ``YYMMDDNNNN``, ``YYYYMMDD-NNNN`` and
  ``YYYYMMDDNNNN``; the separator is optional and may be any single character that is not a
  letter or digit: ``-``, ``+``, typographic dashes, a space of any kind, a newline, ``/``, ``.``,
  ``_`` (issue 15: an attacker, or a copy from a PDF, writes it in every one of these ways);
* the text is normalised first (:func:`normalise`): Unicode NFKC (full-width digits, no-break and
  other spaces), format characters dropped (soft hyphen, zero-width space, word joiner), and
  every decimal digit of any script (Arabic-Indic, Devanagari, …) read as its ASCII digit;
* the ten digits ``YYMMDDNNNN`` pass the Luhn check;
* the date part is a real calendar date. With a four-digit year the year is checked, leap years
  included; with a two-digit year the century is unknown, so 29 February is always allowed;
* a coordination number has 60 added to the day (61–91), and is otherwise the same;
* the digits stand on their own: a candidate that is part of a longer run of digits (a phone,
  invoice or case number) does not count.

Look-alikes that fail the Luhn check or carry an impossible date are accepted as ordinary text.

The error raised never contains the value, and nothing in this module logs it: the input is the
very number we refuse to hold. What cannot be refused (a header of a request already refused, a
path in a log line) is passed through :func:`redact`, which puts :data:`REDACTED` in the
number's place. (Pydantic's ``str(ValidationError)`` does include the input; the
API's error handlers use only ``loc``, ``type`` and ``msg``.)
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

__all__ = [
    "ERROR_MESSAGE",
    "ERROR_TYPE",
    "REDACTED",
    "FreeText",
    "contains_personal_identity_number",
    "identity_numbers_in",
    "luhn_valid",
    "normalise",
    "redact",
    "reject_personal_identity_number",
]

REDACTED = "[personnummer]"

ERROR_TYPE = "personal_identity_number"
ERROR_MESSAGE = (
    "contains a Swedish personal identity number or coordination number; "
    "remove it (the service never stores them)"
)

# ASCII digits after normalisation; the look-arounds keep a candidate from being cut out of a
# longer run of digits. With a separator (any one character that is neither a letter nor a
# digit), the digits before it must number exactly 6 or 8; without one, the run must be exactly
# 10 or 12 digits long, so every match has exactly one reading.
_CANDIDATE = re.compile(
    r"""
    (?<![0-9])
    (?P<century>[0-9]{2})?
    (?P<yy>[0-9]{2})(?P<mm>[0-9]{2})(?P<dd>[0-9]{2})
    (?:[^\w]|_)?
    (?P<serial>[0-9]{4})
    (?![0-9])
    """,
    re.VERBOSE,
)

_COORDINATION_OFFSET = 60
_LEAP_YEAR = 2000  # stands in for an unknown century, so that 29 February is allowed


def luhn_valid(digits: str) -> bool:
    """Whether ``digits`` (ASCII digits only, at least one) passes the Luhn mod-10 check.

    Counting from the right, every second digit is doubled and the digits of the products summed;
    the total must be a multiple of ten. For the ten digits ``YYMMDDNNNN`` of a personal identity
    number this is the weights 2, 1, 2, 1, … from the left.
    """
    if not digits or not (digits.isascii() and digits.isdigit()):
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _is_identity_number(match: re.Match[str]) -> bool:
    century, yy, mm, dd, serial = match.group("century", "yy", "mm", "dd", "serial")
    if not luhn_valid(yy + mm + dd + serial):
        return False
    day = int(dd)
    if day > _COORDINATION_OFFSET:
        day -= _COORDINATION_OFFSET
    year = int(century + yy) if century is not None else _LEAP_YEAR
    return _real_date(year, int(mm), day)


# Unicode's format characters (category Cf, Unicode 14): invisible, and dropped before the guard
# looks (a soft hyphen or zero-width space inside a number must not hide it).
_FORMAT_CHARACTERS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)
_OTHER_DIGITS = re.compile(r"(?![0-9])\d")  # a decimal digit of another script


def _ascii_digit(match: re.Match[str]) -> str:
    return str(unicodedata.decimal(match.group()))


def normalise(text: str) -> str:
    """``text`` as the guard reads it: NFKC, format characters dropped, every decimal digit ASCII.

    ASCII text is returned as it is (NFKC leaves it unchanged), which keeps the common case cheap;
    the rest is done by C code (NFKC, two regular expressions).
    """
    if text.isascii():
        return text
    text = _FORMAT_CHARACTERS.sub("", unicodedata.normalize("NFKC", text))
    return _OTHER_DIGITS.sub(_ascii_digit, text)


def _numbers_in(normalised: str) -> list[re.Match[str]]:
    return [m for m in _CANDIDATE.finditer(normalised) if _is_identity_number(m)]


_SHORTEST = len("YYMMDDNNNN")


def contains_personal_identity_number(text: str) -> bool:
    """Whether ``text`` contains a valid personal identity number or coordination number."""
    if text.isascii():
        # The common case, kept cheap: every string of every batch row passes through here.
        if len(text) < _SHORTEST:
            return False
        matches = _CANDIDATE.finditer(text)
    else:
        matches = _CANDIDATE.finditer(normalise(text))
    return any(_is_identity_number(m) for m in matches)


def identity_numbers_in(text: str) -> list[str]:
    """The numbers ``text`` contains, each as its ten digits ``YYMMDDNNNN`` (for tests and
    audits that must say *which* number leaked, not merely that one did)."""
    return ["".join(m.group("yy", "mm", "dd", "serial")) for m in _numbers_in(normalise(text))]


def redact(text: str) -> str:
    """``text`` with every number replaced by :data:`REDACTED`; clean text comes back as it was
    (the very object), text with a number comes back normalised around the marker."""
    normalised = normalise(text)
    found = _numbers_in(normalised)
    if not found:
        return text
    parts, end = [], 0
    for match in found:
        parts += [normalised[end : match.start()], REDACTED]
        end = match.end()
    parts.append(normalised[end:])
    return "".join(parts)


def reject_personal_identity_number(value: str) -> str:
    """Pydantic after-validator: return ``value`` unchanged, or refuse it without echoing it."""
    if contains_personal_identity_number(value):
        raise PydanticCustomError(ERROR_TYPE, ERROR_MESSAGE)
    return value


FreeText = Annotated[str, AfterValidator(reject_personal_identity_number)]
"""A free-text or reference string that may not contain a personal identity number.

Use ``FreeText | None`` for an optional field; ``None`` skips the check.
"""


_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}")


def repeatable_name(name: str) -> bool:
    """Whether a name the client sent (a query parameter, a CSV column) may be repeated in an
    error: a plain identifier holding no personal identity number. Values never are."""
    return bool(_PLAIN_NAME.fullmatch(name)) and not contains_personal_identity_number(name)
