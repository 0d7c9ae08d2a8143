"""Where a text settles a sign by its layout, not by its grammar (contract v3 readings).

People answer questions, fill in forms and tick boxes. The words of a sign inside such a
structure say only what the sign is; the answer beside it says whether it applies:

- a question and its answer: "Q: Any fever? A: no", "Nurse: Waterworks okay? Caller: All
  fine", "Numbness? none" -> denied; "... A: yes, 38.2" -> reported. A question left without a
  clear answer is unsure: it touches the sign without settling it.
- a labelled field: "Fever: N", "Chills: N | Sweats: Y", "Bladder - normal" -> denied or reported.
- a checklist: "[ ] leg numbness", "☐ fever" -> denied; "[x] stiff back", "☑ numbness" -> reported.

`layout_readings(text)` returns the character ranges of the original text that such a
structure settles, each with its reading; the extractor applies them to the signs inside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REPORTED, DENIED, UNSURE = "reported", "denied", "unsure"

NO = (
    r"no+|nope|nah|none|nil|never|not\s+really|not\s+at\s+all|nothing|negative|n|x|"
    r"(?:all\s+)?(?:normal|fine|ok|okay|good|clear)|neither|no\s+problems?|"
    # the everyday way of saying no to a question: "Any change with your bladder? - I don't
    # think so" (the shared cases read it as no; a reply that doubts itself more is unsure)
    r"(?:i\s+)?(?:don'?t|do\s+not)\s+think\s+so|not\s+that\s+i(?:'ve|\s+have)?\s+(?:know\s+of|noticed)"
)
YES = r"yes|yeah|yep|yup|y|aye|definitely|some|a\s+bit|a\s+little|slightly|sometimes|positive"
ANSWER_NO = re.compile(rf"^\s*(?:{NO})\b(?!\s*(?:sure|idea|doubt))", re.IGNORECASE)
ANSWER_YES = re.compile(rf"^\s*(?:{YES})\b", re.IGNORECASE)
# "A:", "Caller:", "Me:", "Patient:" before an answer
SPEAKER = re.compile(r"^\s*(?:[A-Za-z][A-Za-z .'-]{0,20}:)?", re.IGNORECASE)
# A question runs from a sentence start or a "Q:" to its "?", never over another "Q:".
QUESTION_START = re.compile(
    r"(?:\bQ\s*:|^|(?<=[.!?\n|]))\s*(?:[A-Za-z][A-Za-z .'-]{0,20}:\s*)?"
    r"(?:(?!\bQ\s*:)[^.!?\n|])*\?",
    re.MULTILINE,
)
CHECKBOX = re.compile(r"(\[\s?\]|\[[xX✓✔]\]|[☐☑☒✅❌⬜🔲])")
EMPTY_BOXES = {"[ ]", "[]", "☐", "⬜", "🔲", "❌"}
# A one-word value needs no separator after it: "Fever: N Weight loss: N Trauma: N".
FIELD_YES_NO = re.compile(
    r"(?P<label>[A-Za-z][A-Za-z /'()-]{0,30}?)\s*:\s*"
    r"(?:(?P<no>n|no|none|nil|nope|(?:all\s+)?normal|fine|neg|negative)|(?P<yes>y|yes|yep))"
    # "Symptoms: no fever" is a denial of what follows; "Fever: N\nWeight loss: N" is not
    r"\b(?!')(?![ \t]+(?:fever|numb|pain|leg|bladder|bowel|weight|blood|chest|faint))",
    re.IGNORECASE,
)
MAX_ANSWER = 80  # characters after a question that can hold its answer
NORMAL_ANSWER = re.compile(
    r"^\s*(?:all\s+|totally\s+|completely\s+|perfectly\s+)?(?:normal|fine|ok|okay|good|clear)\b",
    re.IGNORECASE,
)
NORMAL_QUESTION = re.compile(r"\b(?:normal(?:ly)?|ok(?:ay)?|fine|as\s+usual|working)\b", re.I)
ABLE = re.compile(r"\bable\b", re.I)
SENTENCE_END = re.compile(r"[.!?\n]|\b[A-Z][a-z]+:")
IN_ANSWER = re.compile(
    r"\b(?:(?P<no>no|nope|nah|none|never|not\s+really|nothing|"
    # "Into the left buttock, not past that": how far it goes, and no further
    r"not\s+(?:past|below|beyond|further|lower)|no\s+(?:further|lower))"
    r"|(?P<yes>yes|yeah|yep|yup))\b",
    re.IGNORECASE,
)
# "Any pain going into the legs? - It catches in my left buttock, that's all": an answer that
# keeps the pain above the knee, and says that is as far as it goes, answers a question about
# pain down the legs with no. Never for numbness: numbness in the buttocks is a saddle sign.
LEG_PAIN_QUESTION = re.compile(r"\blegs?\b", re.IGNORECASE)
NUMBNESS_WORDS = re.compile(r"numb|tingl|pins|weak|feel", re.IGNORECASE)
ABOVE_THE_KNEE = re.compile(
    r"\b(?:buttocks?|bum|backside|hips?|groin|glutes?|thighs?|top\s+of\s+(?:my|the)\s+legs?)\b",
    re.IGNORECASE,
)
BELOW_THE_KNEE = re.compile(
    r"\b(?:knees?|calf|calves|shins?|foot|feet|ankles?|toes?|heels?|below|past|beyond)\b",
    re.IGNORECASE,
)
AS_FAR_AS_IT_GOES = re.compile(
    r"\b(?:that'?s\s+(?:all|it)|that\s+is\s+(?:all|it)|only|just|no\s+further|no\s+lower)\b",
    re.IGNORECASE,
)

# "Any lump or change in the shape of your back? - wife says my spine looks bent over to one
# side": a lean or a stoop while a spasm holds the back is not a change of shape (contract v3),
# so such an answer, with no lump or swelling in it, is a no.
SHAPE_QUESTION = re.compile(r"\b(?:lump|swelling|bump|shape)\b", re.IGNORECASE)
LEAN = re.compile(
    r"\b(?:bent|bend|bending|lean(?:s|ing)?|tilt(?:ed|ing|s)?|crooked|lopsided|stoop(?:ed|ing)?|"
    r"hunched|to\s+one\s+side|sideways)\b",
    re.IGNORECASE,
)
LUMP_WORDS = re.compile(r"\b(?:lump|swell|swollen|bump|bulge|sticking\s+out|growth)", re.I)


@dataclass(frozen=True)
class Settled:
    """A range of the original text whose signs are settled by layout."""

    start: int
    end: int
    reading: str


def layout_readings(text: str) -> list[Settled]:
    """Every range the text's layout settles, checklists and fields before questions."""
    return [*_checklist(text), *_fields(text), *_questions(text)]


def reading_at(settled: list[Settled], start: int, end: int) -> str | None:
    """The reading of the first settled range that holds [start, end), if any."""
    for item in settled:
        if item.start <= start and end <= item.end:
            return item.reading
    return None


def _checklist(text: str) -> list[Settled]:
    boxes = list(CHECKBOX.finditer(text))
    out = []
    for i, box in enumerate(boxes):
        end = boxes[i + 1].start() if i + 1 < len(boxes) else _line_end(text, box.end())
        end = min(end, _line_end(text, box.end()))
        mark = box.group(1).replace(" ", "") if box.group(1).startswith("[") else box.group(1)
        empty = mark in {b.replace(" ", "") for b in EMPTY_BOXES}
        out.append(Settled(box.end(), end, DENIED if empty else REPORTED))
    return out


def _fields(text: str) -> list[Settled]:
    """'Fever: N', 'Bladder: normal': a short label and a yes/no value."""
    out = [
        _field(m.group("label"), m.start("label"), m.end("label"), bool(m.group("no")))
        for m in FIELD_YES_NO.finditer(text)
    ]
    return out


def _field(label: str, start: int, end: int, no: bool) -> Settled:
    """A field's reading; a label that asks about being well ("Able to walk: yes",
    "Bladder normal: N") turns the answer round."""
    if NORMAL_QUESTION.search(label) or ABLE.search(label):
        no = not no
    return Settled(start, end, DENIED if no else REPORTED)


def _questions(text: str) -> list[Settled]:
    out = []
    for match in QUESTION_START.finditer(text):
        reading = _answer_reading(text, match.end())
        if reading is None:
            continue
        # "passing water normally? No" is a problem; "Waterworks okay? All fine" is not
        if NORMAL_QUESTION.search(match.group()) and not _says_normal(text, match.end()):
            reading = {DENIED: REPORTED, REPORTED: DENIED}.get(reading, reading)
        if reading != DENIED and (
            _keeps_pain_above_the_knee(match.group(), text, match.end())
            or _a_lean_not_a_shape(match.group(), text, match.end())
        ):
            reading = DENIED
        out.append(Settled(match.start(), match.end(), reading))
    return out


def _says_normal(text: str, start: int) -> bool:
    """An answer in words of being well ("All fine", "A: normal"), not a bare yes or no."""
    after = text[start : start + MAX_ANSWER]
    speaker = SPEAKER.match(after)
    answer = after[speaker.end() :] if speaker else after
    return NORMAL_ANSWER.match(answer) is not None


def _keeps_pain_above_the_knee(question: str, text: str, start: int) -> bool:
    """A reply to a question about leg pain that names only places above the knee and says
    that is as far as it goes ("In my left buttock, that's all")."""
    if not LEG_PAIN_QUESTION.search(question) or NUMBNESS_WORDS.search(question):
        return False
    first = _first_sentence_of_answer(text, start)
    return bool(
        ABOVE_THE_KNEE.search(first)
        and AS_FAR_AS_IT_GOES.search(first)
        and not BELOW_THE_KNEE.search(first)
        and not NUMBNESS_WORDS.search(first)
    )


def _a_lean_not_a_shape(question: str, text: str, start: int) -> bool:
    """A reply to a question about a lump or the back's shape that describes only a lean."""
    if not SHAPE_QUESTION.search(question):
        return False
    first = _first_sentence_of_answer(text, start)
    return bool(LEAN.search(first) and not LUMP_WORDS.search(first))


def _first_sentence_of_answer(text: str, start: int) -> str:
    after = text[start : start + MAX_ANSWER]
    speaker = SPEAKER.match(after)
    answer = after[speaker.end() :] if speaker else after
    return SENTENCE_END.split(answer, maxsplit=1)[0]


def _answer_reading(text: str, start: int) -> str | None:
    """How the answer after a question settles it: a yes or no at its start, or the first yes
    or no word in its first sentence ("Now you mention it, yes"). A reply by a speaker that
    says neither is unsure; text that is not a reply leaves the question to the grammar."""
    after = text[start : start + MAX_ANSWER]
    speaker = SPEAKER.match(after)
    replied = bool(speaker and speaker.group().strip())
    answer = after[speaker.end() :] if speaker else after
    if ANSWER_NO.match(answer):
        return DENIED
    if ANSWER_YES.match(answer):
        return REPORTED
    if not replied:
        return None
    first = SENTENCE_END.split(answer, maxsplit=1)[0]
    word = IN_ANSWER.search(first)
    if word is None:
        return UNSURE
    return DENIED if word.group("no") else REPORTED


def _line_end(text: str, start: int) -> int:
    newline = text.find("\n", start)
    return newline if newline != -1 else len(text)
