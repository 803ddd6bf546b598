from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cockpit.config import as_toml, load_config, mask_url
from models.errors import UserError

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cockpit.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run_main(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=ROOT,
    )


def test_no_file_gives_every_default_and_the_demo() -> None:
    config = load_config()
    assert config.is_demo
    assert config.mqtt.root == "plant"
    assert config.alarms.profile == "cn"
    assert config.alarms.stop_ack_timeout_s == 60.0
    assert config.site("any").stop_policy == "auto"
    assert config.site("any").timezone == "Asia/Shanghai"


def test_file_values_are_read_and_turn_the_demo_off(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[mqtt]
url = "mqtt://10.0.0.5:1883"
root = "refinery"
[alarms]
limits = { "LEL" = { hi = 8.0 } }
[sites.S1]
stop_policy = "propose"
night_start = "21:00"
""",
    )
    config = load_config(path)
    assert not config.is_demo
    assert config.mqtt.url == "mqtt://10.0.0.5:1883"
    assert config.mqtt.root == "refinery"
    assert config.alarms.limits == {"LEL": {"hi": 8.0}}
    assert config.site("S1").stop_policy == "propose"
    assert config.site("S1").night_start == "21:00"
    assert config.site("S2").stop_policy == "auto"


def test_db_option_turns_the_demo_off() -> None:
    assert not load_config(db_url="sqlite:////tmp/x.db").is_demo


def test_environment_overrides_file_and_command_line_beats_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, '[database]\nurl = "sqlite:///file.db"\n[mqtt]\nurl = "mqtt://file:1883"\n')
    monkeypatch.setenv("COCKPIT_DB_URL", "sqlite:///env.db")
    monkeypatch.setenv("COCKPIT_BROKER_URL", "mqtt://env:1883")
    config = load_config(path)
    assert config.database.url == "sqlite:///env.db"
    assert config.mqtt.url == "mqtt://env:1883"
    config = load_config(path, db_url="sqlite:///cli.db", broker_url="mqtt://cli:1883")
    assert config.database.url == "sqlite:///cli.db"
    assert config.mqtt.url == "mqtt://cli:1883"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[mqtt]\nroot_topic = 'x'\n", "unknown key mqtt.root_topic"),
        ("[mqtt]\nkeepalive_s = 'thirty'\n", "mqtt.keepalive_s must be a whole number"),
        ("[alarms]\nshelve_max_h = true\n", "alarms.shelve_max_h must be a number"),
        ("[mqtt]\npassword = 'hunter2'\n", "passwords are never kept in the config file"),
        ("[sites.S1]\nstop_policy = 'maybe'\n", "sites.S1.stop_policy"),
        ("[sites.S1]\ntimezone = 'Mars/Olympus'\n", "not a known time zone"),
        ("[mqtt]\nurl = 'http://x'\n", "mqtt://host:port"),
        ("[general]\nlanguage = 'fr'\n", "general.language"),
        ("[general]\nduties = 'console'\n", "general.duties"),
        ("[general]\nconsole_id = '控制室-1'\n", "general.console_id"),
        ("[general]\nconsole_id = 'ccr/2'\n", "general.console_id"),
        ("[mqtt\n", "not valid TOML"),
        ("mqtt = 3\n", "must be a table"),
        ("[permits]\ncheckin_default_min = 0\n", "permits.checkin_default_min"),
        ("[permits]\ncheckin_interval_min = { hot_work = -5 }\n", "permits.checkin_interval_min.hot_work"),
        ("[permits]\ncheckin_stop_grace_min = -1\n", "permits.checkin_stop_grace_min"),
        ("[sites.S1]\npause_retest_min = -1\n", "sites.S1.pause_retest_min"),
    ],
)
def test_bad_config_is_one_readable_error(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(UserError) as info:
        load_config(write(tmp_path, text))
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message


def test_checkin_intervals_per_permit_type_and_the_pause_retest_are_read(tmp_path: Path) -> None:
    from datetime import timedelta

    text = (
        "[permits]\ncheckin_interval_min = { hot_work = 20, excavation = 90 }\ncheckin_stop_grace_min = 10\n"
        "[sites.S1]\npause_retest_min = 20\n"
    )
    config = load_config(write(tmp_path, text))
    assert config.checkin_interval("hot_work") == timedelta(minutes=20)
    assert config.checkin_interval("excavation") == timedelta(minutes=90)
    assert config.checkin_interval("lifting") == timedelta(minutes=30)  # not listed: the default
    assert config.permits.checkin_stop_grace_min == 10.0
    assert config.site("S1").pause_retest_min == 20
    assert load_config().checkin_interval("temporary_power") == timedelta(minutes=60)


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        load_config(tmp_path / "nope.toml")


def test_show_masks_secrets_and_round_trips(tmp_path: Path) -> None:
    config = load_config(db_url="postgresql://cockpit:s3cret@db.plant/cockpit")
    shown = as_toml(config)
    assert "s3cret" not in shown
    assert "postgresql://cockpit:***@db.plant/cockpit" in shown
    # what `config show` prints is itself a valid configuration file
    clean = shown.replace(":***@", "@")
    again = load_config(write(tmp_path, clean))
    assert again.database.url == "postgresql://cockpit@db.plant/cockpit"
    assert again.alarms == config.alarms
    assert mask_url("mqtt://a:b@h:1") == "mqtt://a:***@h:1"


def test_cli_config_show_and_bad_config_exit_code(tmp_path: Path) -> None:
    ok = run_main("config", "show", "--broker", "mqtt://127.0.0.1:1999")
    assert ok.returncode == 0, ok.stderr
    assert 'url = "mqtt://127.0.0.1:1999"' in ok.stdout
    bad = run_main("config", "show", "--config", str(write(tmp_path, "[mqtt]\nport = 1\n")))
    assert bad.returncode == 2
    assert bad.stderr.strip().count("\n") == 0
    assert "unknown key mqtt.port" in bad.stderr
    assert "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    ("host", "expected"),
    [("ccr-2.plant.local", "ccr-2.plant.local"), ("控制室-1", "1"), ("中控", "console"), ("-x", "x")],
)
def test_the_default_console_id_is_a_topic_identifier(
    monkeypatch: pytest.MonkeyPatch, host: str, expected: str
) -> None:
    """A host named in Chinese must not name topics that every other console rejects."""
    import socket

    from cockpit.config import GeneralConfig

    monkeypatch.setattr(socket, "gethostname", lambda: host)
    assert GeneralConfig().console_id == expected


def test_a_real_plant_without_a_plant_name_is_not_called_the_demo_plant() -> None:
    """The commissioning walk (a database given, no configuration file) showed the demo's plant name on
    the login; the hand-over PDF and the notices read the same name."""
    from cockpit.config import DEMO_PLANT_NAME, Config

    demo = Config()
    assert demo.is_demo and demo.plant_title == DEMO_PLANT_NAME
    real = Config()
    real.database.url = "postgresql://cockpit@db.plant.local/cockpit"
    assert not real.is_demo and real.plant_title == ""
    real.general.plant_name = "金陵石化 一号控制室"
    assert real.plant_title == "金陵石化 一号控制室"
