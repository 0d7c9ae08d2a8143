"""What to tell the clinician: the sentences every face shows after a warning sign.

One line per sign in the person's own voice ("I have back pain with a fever..."), a sign they
were not sure about said as not sure, then one line per combination of signs they were sure
about, then their own words behind the signs. Built once here so the terminal, the pages and
the walk's stop screen cannot say different things.
"""

from __future__ import annotations

from collections.abc import Iterable

from backwalk.rules import Rulebook


def what_to_tell(
    rb: Rulebook,
    flag_ids: Iterable[str],
    unsure: Iterable[str] = (),
    words: Iterable[str] = (),
) -> list[str]:
    """The sentences to say to a clinician, in the order the signs are given."""
    known = {f.id: f for f in rb.red_flags}
    flags = [known[f] for f in flag_ids if f in known]
    doubtful = set(unsure)
    lines = [
        rb.notes.tell_clinician_unsure.format(label=rb.question_by_id[f.id].label)
        if f.id in doubtful
        else f.tell_clinician
        for f in flags
    ]
    sure = {f.id for f in flags if f.id not in doubtful}
    lines += [k.tell_clinician for k in rb.combinations if set(k.all_of) <= sure]
    lines += [rb.notes.tell_clinician_words.format(words=said) for said in words]
    return lines
