"""The diary as FHIR R4: a `Bundle` of type `collection` a record system can import.

What goes in:

- one `Patient`, anonymous unless a name is given;
- an `Observation` per pain score (LOINC 72514-3, `valueInteger`, when it was given): at each
  check, before and after each walk and at each check-in during one;
- an `Observation` per walk (LOINC 55411-3 exercise duration, in minutes, UCUM `min`, category
  `activity`, the walk's start and end as its period);
- a `QuestionnaireResponse` per check, answering the `Questionnaire` generated from the rulebook
  (`questionnaire()`, also served at `/fhir/Questionnaire/backwalk-check` and included), and one
  per weekly outcome measure, answering its weekly items;
- a `Flag` for each warning sign raised, at a check or during a walk.

Each resource is checked by the `fhir.resources` R4B models (R4B changed none of these from R4),
and the tests also check the whole Bundle against the official FHIR R4 JSON schema.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from backwalk import checkflow, i18n
from backwalk.diary.export import Words
from backwalk.i18n import N_
from backwalk.i18n import gettext as _
from backwalk.rules import Question, Rulebook, default_rulebook

if TYPE_CHECKING:
    from backwalk.diary import CheckinRecord, CheckRecord, Diary, WalkRecord
    from backwalk.diary.measures import OutcomeRecord
    from backwalk.diary.records import MedicineRecord, RecurrenceRecord

QUESTIONNAIRE_ID = "backwalk-check"
QUESTIONNAIRE_URL = f"urn:backwalk:fhir:Questionnaire:{QUESTIONNAIRE_ID}"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
QUESTION_SYSTEM = "urn:backwalk:question"
RED_FLAG_SYSTEM = "urn:backwalk:red-flag"
DECISION_SYSTEM = "urn:backwalk:decision"
URGENCY_SYSTEM = "urn:backwalk:urgency"
CHANGE_SYSTEM = "urn:backwalk:global-change"
IDENTIFIER_SYSTEM = "urn:backwalk:diary"
PAIN_CODE = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
EXERCISE_CODE = ("55411-3", "Exercise duration")
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
# A fixed namespace: the same diary exported twice gives the same fullUrls.
_NAMESPACE = uuid.UUID("3f0c3a52-5d1e-4f7e-9a57-6c7a1b2d9e40")

# Items the rulebook's questions do not cover; their linkIds are fixed for importers.
TEXT_ITEM = ("text", N_("In your own words"))
DECISION_ITEM = ("decision", N_("backwalk's decision"))
URGENCY_ITEM = ("urgency", N_("How urgently to get care"))
WEEKLY_ITEM = "weekly"
ACTIVITY_ITEM, ACTIVITY_NAME, ACTIVITY_SCORE = "activity", "activity-name", "activity-score"
CHANGE_ITEM = "global-change"


# ------------------------------------------------------------------------------------------------
# the Questionnaire
# ------------------------------------------------------------------------------------------------


def questionnaire(rb: Rulebook | None = None) -> dict[str, Any]:
    """The check as a FHIR Questionnaire, generated from the rulebook (validated)."""
    rb = rb or default_rulebook()
    items = [_screen_item(screen) for screen in checkflow.screens(rb)]
    items.append({"linkId": TEXT_ITEM[0], "text": _(TEXT_ITEM[1]), "type": "text"})
    items.append(
        _choice(DECISION_ITEM, DECISION_SYSTEM, [(d.id, d.short) for d in rb.dispositions])
    )
    items.append(_choice(URGENCY_ITEM, URGENCY_SYSTEM, [(u.id, u.label) for u in rb.urgencies]))
    items.append(_weekly_item(rb))
    resource = {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": QUESTIONNAIRE_URL,
        "version": rb.version,
        "name": "BackwalkCheck",
        "title": _("backwalk check"),
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "backwalk",
        "description": _(
            "The questions backwalk, a self-care coach for back spasms, asks before a walk "
            "(warning signs first, then the pain), and its weekly outcome measures. {disclaimer}"
        ).format(disclaimer=rb.disclaimer),
        "item": items,
    }
    if i18n.active() != i18n.DEFAULT:  # English, the source language, goes unsaid
        resource = {"resourceType": "Questionnaire", "language": i18n.active(), **resource}
    return _validated(resource)


def _screen_item(screen: checkflow.Screen) -> dict[str, Any]:
    return {
        "linkId": screen.id,
        "text": screen.spec.title,
        "type": "group",
        "item": [_question_item(q) for q in screen.questions],
    }


def _question_item(q: Question) -> dict[str, Any]:
    kind = {"bool": "boolean", "int": "integer", "number": "decimal"}[q.type]
    codes = [{"system": QUESTION_SYSTEM, "code": q.id, "display": q.label}]
    if q.id == "pain_score":
        codes.insert(0, {"system": LOINC, "code": PAIN_CODE[0], "display": PAIN_CODE[1]})
    item: dict[str, Any] = {"linkId": q.id, "code": codes, "text": q.prompt, "type": kind}
    limits = [(MIN_VALUE, q.min), (MAX_VALUE, q.max)]
    value_key = "valueInteger" if kind == "integer" else "valueDecimal"
    extensions = [
        {"url": url, value_key: int(v) if kind == "integer" else v}
        for url, v in limits
        if v is not None and kind != "boolean"
    ]
    if extensions:
        item["extension"] = extensions
    return item


def _choice(
    item: tuple[str, str], system: str, options: Iterable[tuple[str, str]]
) -> dict[str, Any]:
    return {
        "linkId": item[0],
        "text": _(item[1]),
        "type": "choice",
        "readOnly": True,
        "answerOption": [_option(system, code, display) for code, display in options],
    }


def _option(system: str, code: str, display: str) -> dict[str, Any]:
    return {"valueCoding": {"system": system, "code": code, "display": display}}


def _weekly_item(rb: Rulebook) -> dict[str, Any]:
    acts, change = rb.outcomes.activities, rb.outcomes.global_change
    score = {
        "linkId": ACTIVITY_SCORE,
        "text": acts.rate_help,
        "type": "integer",
        "extension": [
            {"url": MIN_VALUE, "valueInteger": 0},
            {"url": MAX_VALUE, "valueInteger": 10},
        ],
    }
    activity = {
        "linkId": ACTIVITY_ITEM,
        "text": acts.title,
        "type": "group",
        "repeats": True,
        "item": [{"linkId": ACTIVITY_NAME, "text": acts.title, "type": "string"}, score],
    }
    options = [(str(o.value), o.label) for o in change.options]
    global_item = {
        "linkId": CHANGE_ITEM,
        "text": change.prompt,
        "type": "choice",
        "answerOption": [_option(CHANGE_SYSTEM, code, label) for code, label in options],
    }
    return {
        "linkId": WEEKLY_ITEM,
        "text": rb.outcomes.title,
        "type": "group",
        "item": [activity, global_item],
    }


# ------------------------------------------------------------------------------------------------
# the Bundle
# ------------------------------------------------------------------------------------------------


def export_bundle(diary: Diary, now: datetime, name: str | None = None) -> str:
    """The whole diary as a FHIR R4 Bundle, as JSON text."""
    from backwalk import keepwell  # the weekly minutes are the service layer's reading

    kept = Keeping(
        weeks=keepwell.weekly_minutes(diary, now, KEPT_WEEKS),
        recurrences=diary.keepwell_facts().recurrences,
        medicines=diary.medicines(),
    )
    doc = bundle(diary.checks(), diary.walks(), diary.outcomes(), now=now, name=name, kept=kept)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# Weekly minutes for the 26 weeks WalkBack's target is set within.
KEPT_WEEKS = 26


@dataclass(frozen=True)
class Keeping:
    """Keeping well in FHIR: the weekly minutes (first day, minutes, target), the monthly
    answers and the medicines."""

    weeks: Sequence[tuple[date, int, int | None]] = ()
    recurrences: Sequence[RecurrenceRecord] = ()
    medicines: Sequence[MedicineRecord] = ()


def bundle(
    checks: Sequence[CheckRecord],
    walks: Sequence[WalkRecord],
    measures: Sequence[OutcomeRecord] = (),
    *,
    now: datetime,
    name: str | None = None,
    rb: Rulebook | None = None,
    kept: Keeping | None = None,
) -> dict[str, Any]:
    """A `collection` Bundle of the records given, validated by the fhir.resources models."""
    rb = rb or default_rulebook()
    builder = _Builder(rb, name)
    builder.add(questionnaire(rb))
    for check in checks:
        builder.check(check)
    for walk in walks:
        builder.walk(walk)
    for measure in measures:
        builder.measure(measure)
    if kept is not None:
        builder.keeping(kept)
    doc = {
        "resourceType": "Bundle",
        "identifier": {"system": IDENTIFIER_SYSTEM, "value": _uuid("bundle", _time(now)).urn},
        "type": "collection",
        "timestamp": _time(now),
        "entry": builder.entries,
    }
    from fhir.resources.R4B.bundle import Bundle

    checked = Bundle.model_validate(doc)
    result: dict[str, Any] = json.loads(checked.model_dump_json(exclude_none=True))
    return result


class _Builder:
    def __init__(self, rb: Rulebook, name: str | None) -> None:
        self.rb = rb
        self.words = Words(rb)
        self.entries: list[dict[str, Any]] = []
        patient: dict[str, Any] = {"resourceType": "Patient", "id": "patient"}
        if name and name.strip():
            patient["name"] = [{"text": " ".join(name.split())}]
        self.patient = self.add(patient)

    def add(self, resource: dict[str, Any]) -> str:
        """Add a resource; return its fullUrl for references."""
        full_url = _uuid(resource["resourceType"], resource["id"]).urn
        resource["id"] = _resource_id(resource["id"])
        self.entries.append({"fullUrl": full_url, "resource": resource})
        return full_url

    @property
    def subject(self) -> dict[str, str]:
        return {"reference": self.patient}

    def check(self, check: CheckRecord) -> None:
        if check.pain_score is not None:
            self.pain(f"check-{check.id}", check.pain_score, check.at, _("at a check"))
        self.add(self._response(check))
        assessment = check.assessment
        advised = str(assessment.get("headline") or self.words.decision(check.disposition))
        for flag in dict.fromkeys(check.red_flags):
            self.flag(f"check-{check.id}-{flag}", flag, check.at, advised)

    def keeping(self, kept: Keeping) -> None:
        for first, minutes, target in kept.weeks:
            if minutes or target is not None:
                self.add(self._week_observation(first, minutes, target))
        for answer in kept.recurrences:
            self.add(self._recurrence_observation(answer))
        for medicine in kept.medicines:
            self.add(self._medicine_statement(medicine))

    def _week_observation(self, first: date, minutes: int, target: int | None) -> dict[str, Any]:
        # LOINC 55411-3 "Exercise duration", as for each walk: a week's minutes walked is how
        # long the person exercised, over the week given as the effective period. (68516-4 is
        # a survey answer about an average; 41950-7 counts steps, which backwalk has not got.)
        end = first + timedelta(days=7)
        text = _("Minutes walked in the week")
        if target is not None:
            text = _("Minutes walked in the week (walking plan target {target})").format(
                target=target
            )
        return {
            "resourceType": "Observation",
            "id": f"week-{first.isoformat()}",
            "identifier": _identifier(f"week-{first.isoformat()}"),
            "status": "final",
            "category": [_category("activity", "Activity")],
            "code": {
                "coding": [
                    {"system": LOINC, "code": EXERCISE_CODE[0], "display": EXERCISE_CODE[1]}
                ],
                "text": text,
            },
            "subject": self.subject,
            "effectivePeriod": {"start": first.isoformat(), "end": end.isoformat()},
            "valueQuantity": {"value": minutes, "unit": "min", "system": UCUM, "code": "min"},
        }

    def _recurrence_observation(self, answer: RecurrenceRecord) -> dict[str, Any]:
        # No LOINC code asks WalkBack's question; the question itself is the code's text.
        question = self.rb.programme.recurrence_question.format(
            date=answer.since.date().isoformat()
        )
        note = _("A new episode began.") if answer.limited_activity else _("No new episode.")
        return {
            "resourceType": "Observation",
            "id": f"recurrence-{answer.id}",
            "identifier": _identifier(f"recurrence-{answer.id}"),
            "status": "final",
            "code": {"text": question},
            "subject": self.subject,
            "effectiveDateTime": _time(answer.at),
            "valueBoolean": answer.limited_activity,
            "note": [{"text": note}],
        }

    def _medicine_statement(self, medicine: MedicineRecord) -> dict[str, Any]:
        # The name and dose exactly as the person wrote them: no code is guessed.
        dosage = [{"text": medicine.dose}] if medicine.dose else []
        return {
            "resourceType": "MedicationStatement",
            "id": f"medicine-{medicine.id}",
            "identifier": _identifier(f"medicine-{medicine.id}"),
            "status": "completed",
            "medicationCodeableConcept": {"text": medicine.name},
            "subject": self.subject,
            "effectiveDateTime": _time(medicine.taken_at),
            "dateAsserted": _time(medicine.at),
            "informationSource": self.subject,
            **({"dosage": dosage} if dosage else {}),
        }

    def walk(self, walk: WalkRecord) -> None:
        self.pain(f"walk-{walk.id}-before", walk.pain_before, walk.started_at, _("before a walk"))
        self.add(self._walk_observation(walk))
        for checkin in walk.checkins:
            self.checkin(walk, checkin)
        if walk.pain_after is not None and walk.ended_at is not None:
            self.pain(f"walk-{walk.id}-after", walk.pain_after, walk.ended_at, _("after a walk"))

    def checkin(self, walk: WalkRecord, checkin: CheckinRecord) -> None:
        key = f"walk-{walk.id}-checkin-{checkin.id}"
        self.pain(key, checkin.current_pain, checkin.at, _("during a walk"))
        advised = self.words.checkin_action(checkin.action)
        for flag in dict.fromkeys(checkin.red_flags):
            self.flag(f"{key}-{flag}", flag, checkin.at, advised)

    def measure(self, measure: OutcomeRecord) -> None:
        response = {
            "resourceType": "QuestionnaireResponse",
            "id": f"weekly-{measure.id}",
            "identifier": _identifier(f"weekly-{measure.id}")[0],
            "questionnaire": QUESTIONNAIRE_URL,
            "status": "completed",
            "subject": self.subject,
            "authored": _time(measure.at),
            "item": [self._weekly_answers(measure)],
        }
        self.add(response)

    def pain(self, key: str, score: int, at: datetime, when: str) -> None:
        self.add(
            {
                "resourceType": "Observation",
                "id": f"pain-{key}",
                "identifier": [*_identifier(f"pain-{key}")],
                "status": "final",
                "category": [_category("survey", "Survey")],
                "code": {
                    "coding": [{"system": LOINC, "code": PAIN_CODE[0], "display": PAIN_CODE[1]}],
                    "text": _("Pain score (0 to 10), {when}").format(when=when),
                },
                "subject": self.subject,
                "effectiveDateTime": _time(at),
                "valueInteger": score,
            }
        )

    def flag(self, key: str, flag_id: str, at: datetime, advised: str) -> None:
        label = self.words.sign(flag_id)
        known = {f.id: f.urgency for f in self.rb.red_flags}
        urgency = known.get(self.rb.aliases.get(flag_id, flag_id))
        said = _("Warning sign: {label}.").format(label=label)
        if urgency:
            said += f" {self.words.urgency(urgency)}."
        self.add(
            {
                "resourceType": "Flag",
                "id": f"flag-{key}",
                "identifier": _identifier(f"flag-{key}"),
                "status": "active",
                "category": [
                    {
                        "coding": [{"system": FLAG_CATEGORY, "code": "clinical"}],
                        "text": "Clinical",
                    }
                ],
                "code": {
                    "coding": [{"system": RED_FLAG_SYSTEM, "code": flag_id, "display": label}],
                    "text": _("{said} Advised: {advised}").format(said=said, advised=advised),
                },
                "subject": self.subject,
                "period": {"start": _time(at)},
            }
        )

    def _walk_observation(self, walk: WalkRecord) -> dict[str, Any]:
        period = {"start": _time(walk.started_at)}
        if walk.ended_at is not None:
            period["end"] = _time(walk.ended_at)
        note = self.words.walk_outcome(walk)
        return {
            "resourceType": "Observation",
            "id": f"walk-{walk.id}",
            "identifier": _identifier(f"walk-{walk.id}"),
            "status": "preliminary" if walk.status == "in_progress" else "final",
            "category": [_category("activity", "Activity")],
            "code": {
                "coding": [
                    {"system": LOINC, "code": EXERCISE_CODE[0], "display": EXERCISE_CODE[1]}
                ],
                "text": _("Guided walk, {minutes} minutes planned").format(
                    minutes=walk.planned_minutes
                ),
            },
            "subject": self.subject,
            "effectivePeriod": period,
            "valueQuantity": {
                "value": round(max(0.0, walk.elapsed_seconds) / 60, 1),
                "unit": "min",
                "system": UCUM,
                "code": "min",
            },
            "note": [{"text": note}],
        }

    def _response(self, check: CheckRecord) -> dict[str, Any]:
        items = list(self._check_answers(check))
        return {
            "resourceType": "QuestionnaireResponse",
            "id": f"check-{check.id}",
            "identifier": _identifier(f"check-{check.id}")[0],
            "questionnaire": QUESTIONNAIRE_URL,
            "status": "completed",
            "subject": self.subject,
            "authored": _time(check.at),
            **({"item": items} if items else {}),
        }

    def _check_answers(self, check: CheckRecord) -> Iterator[dict[str, Any]]:
        answers = {self.rb.aliases.get(k, k): v for k, v in check.answers.items()}
        for screen in checkflow.screens(self.rb):
            given = [_answer_item(q, answers[q.id]) for q in screen.questions if q.id in answers]
            given = [item for item in given if item is not None]
            if given:
                yield {"linkId": screen.id, "text": screen.spec.title, "item": given}
        if check.text:
            yield {"linkId": TEXT_ITEM[0], "answer": [{"valueString": check.text}]}
        decision = (check.disposition, self.words.decision(check.disposition))
        yield _coded_answer(DECISION_ITEM[0], DECISION_SYSTEM, *decision)
        if check.urgency:
            urgency = (check.urgency, self.words.urgency(check.urgency))
            yield _coded_answer(URGENCY_ITEM[0], URGENCY_SYSTEM, *urgency)

    def _weekly_answers(self, measure: OutcomeRecord) -> dict[str, Any]:
        items: list[dict[str, Any]] = [
            {
                "linkId": ACTIVITY_ITEM,
                "item": [
                    {"linkId": ACTIVITY_NAME, "answer": [{"valueString": a.activity}]},
                    {"linkId": ACTIVITY_SCORE, "answer": [{"valueInteger": a.score}]},
                ],
            }
            for a in measure.activities
        ]
        if measure.global_change is not None:
            label = self.words.change(measure.global_change)
            items.append(
                _coded_answer(CHANGE_ITEM, CHANGE_SYSTEM, str(measure.global_change), label)
            )
        return {"linkId": WEEKLY_ITEM, "text": self.rb.outcomes.title, "item": items}


def _answer_item(q: Question, value: Any) -> dict[str, Any] | None:
    """One answered question; a value of the wrong type (an older diary) is left out."""
    if q.type == "bool" and isinstance(value, bool):
        answer: dict[str, Any] = {"valueBoolean": value}
    elif q.type == "int" and isinstance(value, int) and not isinstance(value, bool):
        answer = {"valueInteger": value}
    elif q.type == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        answer = {"valueDecimal": float(value)}
    else:
        return None
    return {"linkId": q.id, "text": q.prompt, "answer": [answer]}


def _coded_answer(link_id: str, system: str, code: str, display: str) -> dict[str, Any]:
    coding = {"system": system, "code": code, "display": display}
    return {"linkId": link_id, "answer": [{"valueCoding": coding}]}


def _category(code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": OBSERVATION_CATEGORY, "code": code, "display": display}]}


def _identifier(value: str) -> list[dict[str, str]]:
    return [{"system": IDENTIFIER_SYSTEM, "value": value}]


def _resource_id(key: str) -> str:
    """A FHIR id (letters, digits, '-' and '.', at most 64): the key, or a hash of a long one."""
    plain = key.replace("_", "-")
    return plain if len(plain) <= 64 else _uuid("id", key).hex


def _uuid(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{kind}/{key}")


def _time(moment: datetime) -> str:
    """FHIR dateTime: to the second, with its offset."""
    return moment.replace(microsecond=0).isoformat()


def _validated(resource: dict[str, Any]) -> dict[str, Any]:
    from fhir.resources.R4B import get_fhir_model_class

    model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    result: dict[str, Any] = json.loads(model.model_dump_json(exclude_none=True))
    return result
