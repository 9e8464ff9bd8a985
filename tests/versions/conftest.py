"""The budget tests' committee and the placement tests' organisation, for the version tests."""

from tests.budget.conftest import committee  # noqa: F401
from tests.placements.conftest import org  # noqa: F401
