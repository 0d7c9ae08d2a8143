"""Speaking the walk aloud in the terminal (`backwalk walk --speak`), where a speech engine exists.

The engine is a program: the one named by BACKWALK_SPEECH_COMMAND (its words, then the text), or
the first of espeak-ng, espeak, spd-say and say found on the PATH, told the language of the walk
where it can be (espeak's -v, spd-say's -l; macOS's say picks a voice by name, so it speaks with
the system's voice, and a configured command is used as it is). Speech never holds the walk
up: each line is handed to the engine and the walk goes on, and every spoken line is also
printed. No engine, or one that fails, means a silent walk, never a broken one.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections.abc import Mapping, Sequence

from backwalk import i18n
from backwalk import settings as bw_settings
from backwalk.i18n import N_

SPEECH_ENV = "BACKWALK_SPEECH_COMMAND"
ENGINES = ("espeak-ng", "espeak", "spd-say", "say")
# How each engine is told the language to speak (a voice that reads Spanish as Spanish).
LANGUAGE_OPTION = {"espeak-ng": "-v", "espeak": "-v", "spd-say": "-l"}
NO_ENGINE = N_(
    "no speech engine was found (install espeak-ng, or set BACKWALK_SPEECH_COMMAND); "
    "the walk goes on without speech"
)


class Speaker:
    def __init__(self, command: Sequence[str]) -> None:
        self.command = list(command)
        self.working = True

    @classmethod
    def find(
        cls, environ: Mapping[str, str] | None = None, lang: str | None = None
    ) -> Speaker | None:
        """The configured engine, else the first one installed, speaking `lang` (default: the
        active language); None when there is none."""
        configured = (bw_settings.environ() if environ is None else environ).get(SPEECH_ENV, "")
        configured = configured.strip()
        if configured:
            return cls(shlex.split(configured))
        for name in ENGINES:
            path = shutil.which(name)
            if path:
                option = LANGUAGE_OPTION.get(name)
                return cls([path, option, lang or i18n.active()] if option else [path])
        return None

    def say(self, text: str) -> None:
        """Start speaking `text` and return at once; a failing engine is simply not used again."""
        if not self.working or not text.strip():
            return
        try:
            subprocess.Popen(
                [*self.command, text],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C in the walk does not cut a line off mid-word
            )
        except OSError:
            self.working = False
