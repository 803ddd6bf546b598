"""Horn: which priority sounds, silencing, and the generated tones."""

from __future__ import annotations

import wave

import pytest

from widgets.horn import PATTERNS, SAMPLE_RATE, Horn


@pytest.fixture
def horn(qtbot) -> Horn:
    h = Horn(backend="beep")
    yield h
    h.silence()


def test_priority_one_sounds_until_silenced(qtbot, horn: Horn) -> None:
    with qtbot.waitSignal(horn.sounding_changed) as sig:
        horn.sound(1)
    assert sig.args == [True]
    assert horn.is_sounding
    assert horn.priority == 1
    assert horn._beep_timer.isActive()  # the rhythm goes on until silenced
    with qtbot.waitSignal(horn.sounding_changed) as sig:
        horn.silence()
    assert sig.args == [False]
    assert not horn.is_sounding
    assert horn.priority is None
    assert not horn._beep_timer.isActive()


def test_more_urgent_alarm_takes_over_a_less_urgent_one_not_the_reverse(horn: Horn) -> None:
    horn.sound(2)
    assert horn.priority == 2
    horn.sound(3)
    assert horn.priority == 2
    horn.sound(1)
    assert horn.priority == 1
    horn.sound(2)
    assert horn.priority == 1


def test_new_alarm_sounds_again_after_silence(horn: Horn) -> None:
    horn.sound(1)
    horn.silence()
    horn.sound(2)
    assert horn.is_sounding and horn.priority == 2


def test_low_priorities_do_not_keep_sounding(horn: Horn) -> None:
    horn.sound(4)
    assert not horn.is_sounding
    horn.sound(3)  # a single chime, nothing left to silence
    assert not horn.is_sounding
    assert not horn._beep_timer.isActive()


def test_unknown_priority_is_refused(horn: Horn) -> None:
    with pytest.raises(ValueError):
        horn.sound(0)


def test_muted_console_keeps_the_state(horn: Horn) -> None:
    muted = Horn(backend="none")
    muted.sound(1)
    assert muted.is_sounding
    muted.silence()
    assert not muted.is_sounding


@pytest.mark.parametrize("priority", [1, 2, 3])
def test_generated_tone_files_are_valid_wav(horn: Horn, priority: int) -> None:
    path = horn.wav_path(priority)
    with wave.open(str(path), "rb") as wav:
        assert wav.getnchannels() == 1
        assert wav.getframerate() == SAMPLE_RATE
        frames = wav.readframes(wav.getnframes())
        seconds = wav.getnframes() / SAMPLE_RATE
    assert seconds == pytest.approx(PATTERNS[priority].duration_s, abs=0.01)
    assert max(frames) > 0  # not silence


def test_patterns_of_one_and_two_differ() -> None:
    one, two = PATTERNS[1], PATTERNS[2]
    assert one is not None and two is not None
    assert one.segments != two.segments
    assert one.loop and two.loop
    assert any(freq == 0 for freq, _ in two.segments)  # priority 2 pulses
    assert PATTERNS[4] is None


def test_priority_four_has_no_sound_file(horn: Horn) -> None:
    with pytest.raises(ValueError):
        horn.wav_path(4)


def test_external_player_loops_until_silenced(qtbot, tmp_path, monkeypatch) -> None:
    """With a platform player on PATH the WAV is played, restarted while sounding, and stopped."""
    log = tmp_path / "played.log"
    player = tmp_path / "paplay"
    player.write_text(f'#!/bin/sh\necho "$1" >> "{log}"\n')
    player.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    horn = Horn()
    assert horn.backend == "process"
    horn.sound(1)
    qtbot.waitUntil(lambda: log.exists() and len(log.read_text().splitlines()) >= 3, timeout=5000)
    assert all(line.endswith("priority1.wav") for line in log.read_text().splitlines())
    horn.silence()
    played = len(log.read_text().splitlines())
    qtbot.wait(100)
    assert len(log.read_text().splitlines()) == played


def test_a_site_sound_file_overrides_the_generated_tone(tmp_path) -> None:
    own = tmp_path / "priority2.wav"
    own.write_bytes(b"RIFF")  # only the choice of file is checked here
    horn = Horn(backend="none", sounds_dir=tmp_path)
    assert horn.wav_path(2) == own
    assert horn.wav_path(1).name == "priority1.wav" and horn.wav_path(1).parent != tmp_path
