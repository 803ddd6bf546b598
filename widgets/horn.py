"""The alarm horn: a sound pattern per priority, silenced by the operator.

PySide6-Essentials 6.11.3 has no QtMultimedia (``from PySide6 import
QtMultimedia`` fails), so there is no QSoundEffect. The tones are generated at
run time with the stdlib ``wave`` module into a temporary folder and played by
the platform (a site may override a tone with ``resources/sounds/priorityN.wav``):
``winsound`` on Windows, ``afplay`` on macOS, ``paplay``/``pw-play``/
``aplay`` on Linux (a QProcess, restarted while the horn loops). Where none of
those exists, ``QApplication.beep()`` is repeated on the pattern's rhythm.

Sound is only ever an addition: every alarm is shown on screen whether or not
a speaker exists. Silencing is not acknowledging; a new alarm sounds again.

Patterns (EEMUA 191 style: urgency by rhythm, not loudness):
  1 critical: fast alternating two-tone (960/770 Hz, 0.25 s each), continuous.
  2 high:     slow pulses (800 Hz, 0.5 s on / 0.5 s off), continuous.
  3 medium:   one soft chime (660 Hz, 0.3 s), once.
  4 low:      silent.
"""

from __future__ import annotations

import math
import shutil
import struct
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QTimer, Signal
from PySide6.QtWidgets import QApplication

SAMPLE_RATE = 22050
#: A site may drop its own ``priority1.wav`` … ``priority3.wav`` here; generated tones are the default.
SOUNDS_DIR = Path(__file__).resolve().parent.parent / "resources" / "sounds"


@dataclass(frozen=True, slots=True)
class Pattern:
    """A sound as (frequency Hz or 0 for silence, seconds) segments; ``loop`` repeats it."""

    segments: tuple[tuple[float, float], ...]
    loop: bool

    @property
    def duration_s(self) -> float:
        return sum(d for _, d in self.segments)


PATTERNS: dict[int, Pattern | None] = {
    1: Pattern(((960.0, 0.25), (770.0, 0.25)), loop=True),
    2: Pattern(((800.0, 0.5), (0.0, 0.5)), loop=True),
    3: Pattern(((660.0, 0.3),), loop=False),
    4: None,
}


def write_pattern_wav(path: Path, pattern: Pattern, *, volume: float = 0.6) -> Path:
    """Write ``pattern`` as 16-bit mono PCM; each tone has a short fade to avoid clicks."""
    frames = bytearray()
    fade = int(0.01 * SAMPLE_RATE)
    for freq, seconds in pattern.segments:
        n = int(seconds * SAMPLE_RATE)
        for i in range(n):
            if freq <= 0:
                sample = 0.0
            else:
                env = min(1.0, i / fade, (n - i) / fade) if fade else 1.0
                sample = volume * env * math.sin(2 * math.pi * freq * i / SAMPLE_RATE)
            frames += struct.pack("<h", round(sample * 32767))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(bytes(frames))
    return path


def _platform_player() -> list[str] | None:
    """The command line that plays a WAV file here, or None."""
    if sys.platform == "darwin" and shutil.which("afplay"):
        return ["afplay"]
    for name in ("paplay", "pw-play", "aplay"):
        exe = shutil.which(name)
        if exe:
            return [exe, "-q"] if name == "aplay" else [exe]
    return None


class Horn(QObject):
    """Sounds the highest active priority until silenced.

    ``backend`` is chosen once: "winsound", "process" (an external player), "beep"
    (QApplication.beep), or "none" (muted console). Signals:
    ``sounding_changed(bool)``.
    """

    sounding_changed = Signal(bool)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        backend: str | None = None,
        sounds_dir: Path | None = SOUNDS_DIR,
    ):
        super().__init__(parent)
        self._sounds_dir = sounds_dir
        self._priority: int | None = None
        self._sounding = False
        self._files: dict[int, Path] = {}
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._player_cmd = _platform_player()
        self.backend = backend or self._pick_backend()
        self._process: QProcess | None = None
        self._beep_timer = QTimer(self)
        self._beep_timer.timeout.connect(self._beep)

    @staticmethod
    def _pick_backend() -> str:
        if sys.platform == "win32":
            return "winsound"
        return "process" if _platform_player() else "beep"

    # ---- state ----------------------------------------------------------------------------
    @property
    def is_sounding(self) -> bool:
        return self._sounding

    @property
    def priority(self) -> int | None:
        """The priority being sounded (None when silent)."""
        return self._priority if self._sounding else None

    def sound(self, priority: int) -> None:
        """Sound ``priority`` unless a more urgent one is already sounding."""
        if priority not in PATTERNS:
            raise ValueError(f"alarm priority must be 1..4, got {priority!r}")
        if self._sounding and self._priority is not None and self._priority <= priority:
            return
        pattern = PATTERNS[priority]
        if pattern is None:
            return  # priority 4 is silent: the screen is enough
        self._stop_output()
        self._priority = priority
        self._start_output(priority, pattern)
        if pattern.loop:
            self._set_sounding(True)
        else:
            self._set_sounding(False)  # a chime is played once; nothing left to silence

    def silence(self) -> None:
        """Stop the sound (this is not acknowledging: the alarms stay as they are)."""
        self._stop_output()
        self._priority = None
        self._set_sounding(False)

    def _set_sounding(self, value: bool) -> None:
        if value != self._sounding:
            self._sounding = value
            self.sounding_changed.emit(value)

    # ---- output -----------------------------------------------------------------------------
    def wav_path(self, priority: int) -> Path:
        """The WAV file of ``priority``: the site's own if provided, else a generated tone."""
        if priority not in self._files and self._sounds_dir is not None:
            own = self._sounds_dir / f"priority{priority}.wav"
            if own.is_file():
                self._files[priority] = own
        if priority not in self._files:
            pattern = PATTERNS[priority]
            if pattern is None:
                raise ValueError(f"priority {priority} has no sound")
            if self._tmp is None:
                self._tmp = tempfile.TemporaryDirectory(prefix="cockpit-horn-")
            self._files[priority] = write_pattern_wav(
                Path(self._tmp.name) / f"priority{priority}.wav", pattern
            )
        return self._files[priority]

    def _start_output(self, priority: int, pattern: Pattern) -> None:
        if self.backend == "none":
            return
        if self.backend == "winsound":  # pragma: no cover - Windows only
            if sys.platform != "win32":  # winsound exists only there (and mypy checks it only there)
                raise ModuleNotFoundError("winsound is a Windows module")
            import winsound

            flags = winsound.SND_FILENAME | winsound.SND_ASYNC | (winsound.SND_LOOP if pattern.loop else 0)
            winsound.PlaySound(str(self.wav_path(priority)), flags)
        elif self.backend == "process" and self._player_cmd:
            self._process = QProcess(self)
            self._process.finished.connect(self._replay)
            self._process.start(self._player_cmd[0], [*self._player_cmd[1:], str(self.wav_path(priority))])
        else:
            self._beep()
            if pattern.loop:
                self._beep_timer.start(max(100, round(pattern.duration_s * 1000 / len(pattern.segments))))

    def _replay(self) -> None:
        cmd = self._player_cmd  # set whenever a process plays
        if self._sounding and self._process is not None and self._priority is not None and cmd:
            self._process.start(cmd[0], [*cmd[1:], str(self.wav_path(self._priority))])

    def _stop_output(self) -> None:
        self._beep_timer.stop()
        if self.backend == "winsound":  # pragma: no cover - Windows only
            if sys.platform != "win32":  # winsound exists only there (and mypy checks it only there)
                raise ModuleNotFoundError("winsound is a Windows module")
            import winsound

            winsound.PlaySound(None, 0)
        if self._process is not None:
            proc, self._process = self._process, None
            proc.finished.disconnect(self._replay)
            proc.kill()
            proc.waitForFinished(500)
            proc.deleteLater()

    def _beep(self) -> None:
        QApplication.beep()
