"""Personal identity numbers as an attacker would write them, for the guard's tests and the sweep.

Both numbers are worked out by hand (tests/test_personnummer.py shows the Luhn sums):
811218-9876 is a personnummer, 811278-9873 the samordningsnummer of the same date (day 18 + 60),
and 121212-1212 the Skatteverket test number (Luhn over 1212121212: 2+2+2+2+2+2+2+2+2+2 = 20).
"""

NUMBERS = ("811218-9876", "811278-9873", "121212-1212")

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def variants(number: str) -> list[str]:
    """``number`` (``YYMMDD-NNNN``) written in every way the guard must still recognise."""
    date, serial = number.split("-")
    century = "19" if date[:2] > "25" else "20"
    digits = date + serial
    return [
        f"{date}-{serial}",
        f"{date}+{serial}",
        digits,
        f"{century}{date}-{serial}",
        f"{century}{digits}",
        f"{date}\u2013{serial}",  # en dash
        f"{date} {serial}",  # space
        f"{date}\u00a0{serial}",  # no-break space
        f"{date}\u202f{serial}",  # narrow no-break space
        f"{date}\u00ad{serial}",  # soft hyphen (a format character)
        f"{date}\u200b{serial}",  # zero-width space
        f"{date[:3]}\u200b{date[3:]}{serial}",  # zero-width space inside the digits
        f"{date}\u2060-{serial}",  # word joiner before the hyphen
        f"{date}\n{serial}",
        f"{date}\t{serial}",
        f"{date}/{serial}",
        f"{date}.{serial}",
        f"{date}_{serial}",
        f"{date}-{serial}".translate(FULL_WIDTH),
        f"{date}-{serial}".translate(ARABIC_INDIC),
        f"{century}{date}\u00a0{serial}".translate(FULL_WIDTH),
    ]


ALL_VARIANTS = [v for number in NUMBERS for v in variants(number)]


def canonical_forms() -> list[str]:
    """What a leak looks like once normalised: the ten and twelve digits of each number."""
    forms = []
    for number in NUMBERS:
        date, serial = number.split("-")
        century = "19" if date[:2] > "25" else "20"
        forms += [date + serial, century + date + serial]
    return forms


def leaked_numbers(text: str) -> set[str]:
    """Which of :data:`NUMBERS` (as ten digits) ``text`` holds in any form the guard knows, read
    as it is and, when it is JSON, decoded (``\\u0661`` escapes are the same digits)."""
    import contextlib
    import json

    from app.personnummer import identity_numbers_in

    ours = {number.replace("-", "") for number in NUMBERS}
    found = set(identity_numbers_in(text))
    with contextlib.suppress(ValueError):
        found |= set(identity_numbers_in(json.dumps(json.loads(text), ensure_ascii=False)))
    return found & ours


class ServiceLog:
    """The lines the service's own log handler writes, while the block runs."""

    def __enter__(self) -> "ServiceLog":
        import io
        import logging

        self.buffer = io.StringIO()
        handler = next(h for h in logging.getLogger().handlers if h.get_name() == "styrkort")
        assert isinstance(handler, logging.StreamHandler)
        self.handler = handler
        self.previous = self.handler.setStream(self.buffer)
        # Every line, the access log's included, whatever STYRKORT_LOG_LEVEL the run has.
        self.root = logging.getLogger()
        self.previous_level = self.root.level
        self.root.setLevel(logging.DEBUG)
        return self

    def __exit__(self, *exc: object) -> None:
        self.root.setLevel(self.previous_level)
        self.handler.setStream(self.previous)

    @property
    def text(self) -> str:
        return self.buffer.getvalue()
