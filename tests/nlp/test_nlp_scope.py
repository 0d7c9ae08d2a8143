"""The fix to medspaCy's scope overlap, checked without building the pipeline."""

from __future__ import annotations

from backwalk.nlp.pipeline import _spans_overlap


def test_a_range_inside_another_overlaps() -> None:
    # medspaCy 1.3.1's tuple_overlaps gives False for (2, 14) inside (0, 16).
    assert _spans_overlap((2, 14), (0, 16))
    assert _spans_overlap((0, 16), (2, 14))
    assert _spans_overlap((2, 5), (4, 9))


def test_touching_ranges_do_not_overlap() -> None:
    assert not _spans_overlap((0, 3), (3, 5))
    assert not _spans_overlap((3, 5), (0, 3))
