"""The org subtree the roll-up works with, walked in Python from (unit, parent) pairs."""

import uuid

from app.scorecard.rollup import subtree

SN, SK, AF, BOU, U1, U2, OTHER = (uuid.UUID(int=n) for n in range(1, 8))
PARENTS = {SN: None, SK: SN, AF: SK, BOU: SK, U1: AF, U2: AF, OTHER: None}


def test_members_are_the_unit_and_everything_below_it():
    tree = subtree(PARENTS, SK)
    assert set(tree.members) == {SK, AF, BOU, U1, U2}


def test_each_member_knows_its_ancestors_up_to_the_root_only():
    tree = subtree(PARENTS, SK)
    assert tree.ancestors == {AF: (SK,), BOU: (SK,), U1: (SK, AF), U2: (SK, AF)}


def test_pairs_are_where_precedence_can_hide_a_value():
    pairs = set(subtree(PARENTS, AF).pairs())
    assert pairs == {(U1, AF), (U2, AF)}


def test_a_unit_without_units_below_it_hides_nothing():
    tree = subtree(PARENTS, U1)
    assert tree.members == (U1,)
    assert tree.pairs() == []
