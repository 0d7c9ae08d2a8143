"""A temperature the person measured settles what sweating means.

People sweat under a heat pad, in a heatwave or with a spasm's effort, and often say they took
their temperature to be sure ("checked, 36.9"). When every temperature in the text is normal,
sweating, feeling hot or being drenched is explained, not a fever: those words are read as
denied. Words that name a fever or chills themselves ("fever", "shivering", "rigors") are left
as they are read, and any raised temperature leaves everything as it is.
"""

from __future__ import annotations

import re

# Degrees Celsius and Fahrenheit a thermometer can show: normal below the fever line.
CELSIUS = (34.0, 43.5)
FAHRENHEIT = (93.0, 110.0)
NORMAL_BELOW_C = 37.5
NORMAL_BELOW_F = 99.5
READING = re.compile(r"(?<![\d.])(\d{2,3}(?:\.\d)?)(?![\d.]*\s*(?:kg|lb|lbs|%|/))")
TEMPERATURE_WORDS = re.compile(
    r"\b(?:temp|temps|temperature|thermometer|degrees|°|celsius|fahrenheit|checked)\b|°", re.I
)
# The sweat-and-heat words that a normal temperature explains.
EXPLAINED = re.compile(r"sweat|drench|hot\b|burning up|clammy|flushed|warm", re.I)
WINDOW = 40  # characters either side of a number that must name a temperature


def temperatures(text: str) -> list[tuple[float, bool]]:
    """Every temperature in the text, each with whether it is normal."""
    found = []
    for match in READING.finditer(text):
        value = float(match.group(1))
        near = text[max(0, match.start() - WINDOW) : match.end() + WINDOW]
        if not TEMPERATURE_WORDS.search(near):
            continue
        if CELSIUS[0] <= value <= CELSIUS[1]:
            found.append((value, value < NORMAL_BELOW_C))
        elif FAHRENHEIT[0] <= value <= FAHRENHEIT[1]:
            found.append((value, value < NORMAL_BELOW_F))
    return found


def all_normal(text: str) -> bool:
    """True when the text gives at least one temperature and every one is normal."""
    readings = temperatures(text)
    return bool(readings) and all(normal for _, normal in readings)


def explained_by_temperature(words: str) -> bool:
    """Whether these words are sweating or heat, which a normal temperature explains."""
    return EXPLAINED.search(words) is not None
