"""The bounded memory of rendered answers."""

from app.readcache.store import Rendered, RenderedAnswers


def _answer(version: int, size: int) -> Rendered:
    return Rendered(version, 200, ((b"content-type", b"application/json"),), b"x" * size)


def test_an_answer_is_given_only_at_the_version_it_was_rendered_at():
    answers = RenderedAnswers(max_entries=10, max_bytes=1000)
    answers.put("a", _answer(3, 10))
    assert answers.get("a", 3) == _answer(3, 10)
    assert answers.get("a", 4) is None
    assert answers.get("b", 3) is None


def test_the_least_recently_used_answer_goes_first_when_full():
    answers = RenderedAnswers(max_entries=2, max_bytes=1000)
    answers.put("a", _answer(1, 10))
    answers.put("b", _answer(1, 10))
    assert answers.get("a", 1) is not None  # a is now the most recently used
    answers.put("c", _answer(1, 10))
    assert answers.get("b", 1) is None
    assert answers.get("a", 1) is not None
    assert answers.get("c", 1) is not None


def test_bodies_stay_within_the_byte_bound():
    answers = RenderedAnswers(max_entries=100, max_bytes=800)
    for key in "abcdefgh":
        answers.put(key, _answer(1, 100))  # the bound's eighth: kept
    assert len(answers) == 8
    assert answers.bytes == 800
    answers.put("i", _answer(1, 100))
    assert len(answers) == 8
    assert answers.bytes == 800
    assert answers.get("a", 1) is None


def test_an_answer_over_an_eighth_of_the_bound_is_not_kept():
    answers = RenderedAnswers(max_entries=100, max_bytes=800)
    answers.put("a", _answer(1, 101))
    assert len(answers) == 0
    assert answers.bytes == 0


def test_a_newer_rendering_replaces_the_old_one_and_its_bytes():
    answers = RenderedAnswers(max_entries=10, max_bytes=1000)
    answers.put("a", _answer(1, 50))
    answers.put("a", _answer(2, 70))
    assert answers.bytes == 70
    assert answers.get("a", 2) is not None
    assert answers.get("a", 1) is None
