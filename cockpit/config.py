"""Configuration: one TOML file, every option with a default, env overrides for URLs.

The file is looked for at ``--config FILE``, else ``$COCKPIT_CONFIG``, else
``<user config dir>/config.toml``. A missing default file is fine (all defaults:
the demo); a file given explicitly must exist. Unknown keys and wrong types are
refused with one line naming the key, so a typo never silently falls back to a
default in a control room.

Secrets (broker, database and mail passwords, chat robot keys) are never read from the file: they live
in the keyring (``python main.py secret set mqtt|db|notify ACCOUNT``).
"""

from __future__ import annotations

import os
import socket
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import time, timedelta
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit, urlunsplit

import platformdirs

from cockpit.sparkplug_config import SparkplugConfig, validate_sparkplug
from connectors.contract_fields import IDENTIFIER
from models.errors import UserError
from models.records import PermitType
from models.rules.photo_evidence import DEFAULT_PHOTO_STEPS, PHOTO_STEPS

APP_NAME = "hazwork-cockpit"
ENV_DB_URL = "COCKPIT_DB_URL"
ENV_BROKER_URL = "COCKPIT_BROKER_URL"
ENV_CONFIG = "COCKPIT_CONFIG"
SECRET_KEYS = frozenset({"password", "secret", "passwd"})


def user_config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def _default_console_id() -> str:
    """The host name as a topic identifier: ASCII letters, digits, ``_.-`` (a host named in Chinese
    would otherwise name topics every other console rejects as ``bad_identifier``)."""
    name = "".join(c if (c.isascii() and c.isalnum()) or c in "_.-" else "-" for c in socket.gethostname())
    name = name.lstrip("_.-")[:64]
    return name if IDENTIFIER.fullmatch(name) else "console"


DEMO_PLANT_NAME = "示范化工园区"


@dataclass
class GeneralConfig:
    console_id: str = field(default_factory=_default_console_id)
    language: str = "zh_CN"  # zh_CN or en
    plant_name: str = ""  # the plant on the login, the hand-over and the notices (`Config.plant_title`)
    # The window's field link (decode, store, alarms, stop-work) in a process of its own, so that a
    # busy broker never slows the screens and the screens never slow an alarm. false: in the GUI's
    # process (one process to debug).
    field_process: bool = True
    # Who runs the plant's duties (automatic stop-work, escalations, application replies,
    # notifications; cockpit/duty_lease.py). A `serve` always takes part in the duty lease.
    # "auto": a console takes the lease only while no serve holds it, and hands it to a serve that
    # asks (a console alone, the demo, runs the duties itself); "serve": this console never runs them;
    # "hold": this console takes part in the lease as a serve does.
    duties: str = "auto"


@dataclass
class DatabaseConfig:
    # Empty: the demo database in the user's data folder (seeded on first start).
    url: str = ""
    echo: bool = False


@dataclass
class MqttConfig:
    # Empty: an embedded broker on localhost plus the plant simulator (the demo).
    url: str = ""
    root: str = "plant"
    username: str = ""
    tls_ca_file: str = ""
    tls_cert_file: str = ""
    tls_key_file: str = ""
    keepalive_s: int = 30
    default_max_age_s: float = 10.0
    record_file: str = ""  # record every received message here (JSON lines)


@dataclass
class AlarmConfig:
    profile: str = "cn"  # "cn" (GB floor) or "us"
    # Limit overrides: "CH" / "site/CH" / "site/area/CH" / "site/area/device/CH" -> {hi = 8.0, ...}
    limits: dict[str, dict[str, float]] = field(default_factory=dict)
    shelve_max_h: float = 8.0
    stop_ack_timeout_s: float = 60.0
    flood_count: int = 10
    flood_window_min: float = 10.0


@dataclass
class SiteConfig:
    timezone: str = "Asia/Shanghai"
    night_start: str = "22:00"
    night_end: str = "06:00"
    stop_policy: str = "auto"  # auto, propose, off
    periodic_gas_retest_min: int = 0  # 0: no periodic re-test beyond GB 30871
    holidays: list[str] = field(default_factory=list)  # ISO dates
    # Re-test after a pause (GB 30871 §5.3: 30 min for hot work special/grade 1, 60 min for grade 2 and
    # confined space); a site may be stricter: a pause longer than this many minutes needs a passing test
    # before work resumes. 0: GB 30871's limits only.
    pause_retest_min: int = 0
    # A supervisor absent past the check-in grace: "propose" (an alarm proposing the stop; the operator
    # stops) or "auto" (the area's hot work and confined-space entry are stopped at once, as a gas alarm's).
    checkin_stop_policy: str = "propose"


# The supervisor's check-in interval by permit type (minutes): a supervisor on site checks in at least this
# often (brief.md, "supervisor check-in"; GB 30871 asks the supervisor to stay on site for the work).
DEFAULT_CHECKIN_MIN: dict[str, float] = {
    "hot_work": 30.0,
    "confined_space": 30.0,
    "blinding": 30.0,
    "work_at_height": 30.0,
    "lifting": 30.0,
    "temporary_power": 60.0,
    "excavation": 60.0,
    "road_closure": 60.0,
}


@dataclass
class PermitsConfig:
    # Check-in interval per permit type (minutes); a type not listed uses checkin_default_min.
    checkin_interval_min: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_CHECKIN_MIN))
    checkin_default_min: float = 30.0
    # Overdue by this much more (minutes) and the alarm is followed by a proposal to stop the work.
    checkin_stop_grace_min: float = 15.0
    # Key-step photos (issue 23): the steps each permit type needs a photo of (models/rules/photo_evidence.py
    # PHOTO_STEPS), and how the cockpit fetches them from the file store.
    photo_steps: dict[str, list[str]] = field(default_factory=lambda: dict(DEFAULT_PHOTO_STEPS))
    photo_max_mb: float = 20.0
    photo_timeout_s: float = 10.0
    photo_retries: int = 2


@dataclass
class UiConfig:
    font_scale: float = 1.0
    layout_file: str = ""  # default: <config dir>/layout-<console>.json


@dataclass
class LoggingConfig:
    level: str = "INFO"
    file_max_mb: int = 10
    file_count: int = 5


@dataclass
class NotifyChannelConfig:
    """One way out (docs/NOTIFICATIONS.md). Its secret (SMTP password, robot key or token) is in the
    keyring under ``notify CHANNEL``, a robot's signing secret under ``notify CHANNEL.sign``."""

    type: str = ""  # smtp, wecom, dingtalk, feishu
    # smtp: the server, how it is protected (starttls, tls, none), the login and the sender address
    host: str = ""
    port: int = 0  # 0: 587 for starttls, 465 for tls, 25 for none
    security: str = "starttls"
    username: str = ""
    sender: str = ""
    tls_ca_file: str = ""  # a plant CA the mail server's certificate is signed by (else the system's)
    # robots: the webhook address without its key or token (that is the secret)
    url: str = ""
    sign: bool = False  # DingTalk/Feishu "signature" security setting: the signing secret is in the keyring


@dataclass
class NotifyRouteConfig:
    """Who hears of what: a role at some sites, through channels, in a language."""

    role: str = ""  # shift_lead, safety_manager, safety_department, senior_leader ...
    sites: list[str] = field(default_factory=list)  # empty: every site
    kinds: list[str] = field(default_factory=list)  # priority1, unacked, escalation, review; empty: all
    channels: list[str] = field(default_factory=list)
    to: list[str] = field(default_factory=list)  # e-mail addresses, for smtp channels
    language: str = ""  # zh_CN or en; empty: general.language


@dataclass
class NotifyConfig:
    """Notifications off the console (cockpit/notify/). Off while no route is configured."""

    enabled: bool = True
    priority1_roles: list[str] = field(default_factory=lambda: ["shift_lead", "incident_commander"])
    unacked_roles: list[str] = field(default_factory=lambda: ["shift_lead"])
    unacked_after_min: float = 10.0
    unacked_priorities: list[int] = field(default_factory=lambda: [1, 2])
    review_roles: list[str] = field(default_factory=lambda: ["safety_manager"])
    review_escalate_roles: list[str] = field(default_factory=lambda: ["senior_leader"])  # 2nd day on
    review_conditions: list[str] = field(default_factory=lambda: ["GREEN_CHANNEL_REVIEW_OVERDUE"])
    queue_size: int = 1000
    attempts: int = 5  # tries per message, the first included
    retry_base_s: float = 5.0  # back-off: base, doubling, at most retry_max_s
    retry_max_s: float = 300.0
    timeout_s: float = 10.0
    channels: dict[str, NotifyChannelConfig] = field(default_factory=dict)
    routes: dict[str, NotifyRouteConfig] = field(default_factory=dict)


@dataclass
class Config:
    general: GeneralConfig = field(default_factory=GeneralConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    mqtt: MqttConfig = field(default_factory=MqttConfig)
    alarms: AlarmConfig = field(default_factory=AlarmConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    permits: PermitsConfig = field(default_factory=PermitsConfig)
    notify: NotifyConfig = field(default_factory=NotifyConfig)
    sparkplug: SparkplugConfig = field(default_factory=SparkplugConfig)  # Sparkplug B edge nodes
    # Per-site settings, keyed by site id; a site with no entry uses the defaults.
    sites: dict[str, SiteConfig] = field(default_factory=dict)
    # Where the configuration came from (not a TOML key).
    source: str = field(default="defaults", metadata={"internal": True})

    @property
    def is_demo(self) -> bool:
        """The demo: no configuration file and no database given anywhere."""
        return self.source == "defaults" and not self.database.url

    @property
    def plant_title(self) -> str:
        """The plant's name as configured; the demo's own when it runs the demo, else none (a real plant's
        login, hand-over and notices named the demo plant when `plant_name` was left out)."""
        return self.general.plant_name or (DEMO_PLANT_NAME if self.is_demo else "")

    def site(self, site_id: str) -> SiteConfig:
        return self.sites.get(site_id, SiteConfig())

    def checkin_interval(self, permit_type: str) -> timedelta:
        """How often the supervisor of a permit of this type must check in."""
        minutes = self.permits.checkin_interval_min.get(permit_type, self.permits.checkin_default_min)
        return timedelta(minutes=minutes)


def load_config(
    path: str | os.PathLike[str] | None = None,
    *,
    db_url: str | None = None,
    broker_url: str | None = None,
    language: str | None = None,
) -> Config:
    """Read the configuration; command-line values beat the environment, which beats the file."""
    explicit = path is not None or bool(os.environ.get(ENV_CONFIG))
    cfg_path = Path(path or os.environ.get(ENV_CONFIG) or user_config_dir() / "config.toml")
    if cfg_path.exists():
        try:
            data = tomllib.loads(cfg_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise UserError(f"config file {cfg_path}: not valid TOML ({exc}); fix the file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"config file {cfg_path}: cannot be read ({exc})") from None
        config = _build(Config, data, "")
        config.source = str(cfg_path)
    elif explicit:
        raise UserError(f"config file {cfg_path} does not exist; give an existing file to --config")
    else:
        config = Config()
    env_db, env_broker = os.environ.get(ENV_DB_URL), os.environ.get(ENV_BROKER_URL)
    if env_db:
        config.database.url = env_db
    if env_broker:
        config.mqtt.url = env_broker
    if db_url:
        config.database.url = db_url
    if broker_url:
        config.mqtt.url = broker_url
    if language:
        config.general.language = language
    validate(config)
    return config


def validate(config: Config) -> None:
    if IDENTIFIER.fullmatch(config.general.console_id) is None:
        raise UserError(
            f"general.console_id = {config.general.console_id!r}: it names this console in MQTT topics; "
            "use up to 64 ASCII letters, digits, '_', '.' or '-', starting with a letter or digit"
        )
    _validate_duties(config.general)
    if config.general.language not in ("zh_CN", "en"):
        raise UserError(f'general.language = {config.general.language!r}: use "zh_CN" or "en"')
    if config.alarms.profile not in ("cn", "us"):
        raise UserError(f'alarms.profile = {config.alarms.profile!r}: use "cn" or "us"')
    for site_id, site in config.sites.items():
        if site.stop_policy not in ("auto", "propose", "off"):
            raise UserError(f"sites.{site_id}.stop_policy = {site.stop_policy!r}: use auto, propose or off")
        for key in ("night_start", "night_end"):
            try:
                time.fromisoformat(getattr(site, key))
            except ValueError:
                raise UserError(f'sites.{site_id}.{key}: not a time of day like "22:00"') from None
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(site.timezone)
        except Exception:
            raise UserError(f"sites.{site_id}.timezone = {site.timezone!r}: not a known time zone") from None
    _validate_permits(config)
    _validate_notify(config.notify)
    validate_sparkplug(config.sparkplug, config.alarms.limits)
    for key in ("url",):
        url = getattr(config.mqtt, key)
        if url and urlsplit(url).scheme not in ("mqtt", "mqtts"):
            raise UserError(f"mqtt.url = {url!r}: give mqtt://host:port or mqtts://host:port")
    for name, value in (
        ("mqtt.keepalive_s", config.mqtt.keepalive_s),
        ("mqtt.default_max_age_s", config.mqtt.default_max_age_s),
        ("alarms.shelve_max_h", config.alarms.shelve_max_h),
        ("alarms.stop_ack_timeout_s", config.alarms.stop_ack_timeout_s),
        ("ui.font_scale", config.ui.font_scale),
        ("permits.checkin_default_min", config.permits.checkin_default_min),
        *((f"permits.checkin_interval_min.{k}", v) for k, v in config.permits.checkin_interval_min.items()),
    ):
        if value <= 0:
            raise UserError(f"{name} = {value}: must be greater than 0")


def _validate_duties(general: GeneralConfig) -> None:
    if general.duties not in ("auto", "serve", "hold"):
        raise UserError(f'general.duties = {general.duties!r}: use "auto", "serve" or "hold"')


def _validate_permits(config: Config) -> None:
    if config.permits.checkin_stop_grace_min < 0:
        raise UserError("permits.checkin_stop_grace_min: must be 0 or more")
    for kind, steps in config.permits.photo_steps.items():
        unknown = [s for s in steps if s not in PHOTO_STEPS]
        if kind not in {t.value for t in PermitType} or unknown:
            raise UserError(
                f"permits.photo_steps.{kind} = {steps!r}: permit types "
                f"{', '.join(t.value for t in PermitType)}; steps {', '.join(PHOTO_STEPS)}"
            )
    if (
        config.permits.photo_max_mb <= 0
        or config.permits.photo_timeout_s <= 0
        or config.permits.photo_retries < 0
    ):
        raise UserError("permits.photo_max_mb and photo_timeout_s must be above 0, photo_retries 0 or more")
    for site_id, site in config.sites.items():
        if site.pause_retest_min < 0:
            raise UserError(f"sites.{site_id}.pause_retest_min: must be 0 (GB 30871 only) or more")
        if site.checkin_stop_policy not in ("propose", "auto"):
            raise UserError(
                f"sites.{site_id}.checkin_stop_policy = {site.checkin_stop_policy!r}: use propose or auto"
            )


NOTIFY_TYPES = ("smtp", "wecom", "dingtalk", "feishu")
NOTIFY_KINDS = ("priority1", "unacked", "escalation", "review")


def _validate_notify(notify: NotifyConfig) -> None:
    for name, channel in notify.channels.items():
        _validate_channel(f"notify.channels.{name}", channel)
    for name, route in notify.routes.items():
        _validate_route(f"notify.routes.{name}", route, notify.channels)
    for name, value in (
        ("notify.unacked_after_min", notify.unacked_after_min),
        ("notify.queue_size", notify.queue_size),
        ("notify.attempts", notify.attempts),
        ("notify.retry_base_s", notify.retry_base_s),
        ("notify.timeout_s", notify.timeout_s),
    ):
        if value <= 0:
            raise UserError(f"{name} = {value}: must be greater than 0")


def _validate_channel(where: str, channel: NotifyChannelConfig) -> None:
    if channel.type not in NOTIFY_TYPES:
        raise UserError(f"{where}.type = {channel.type!r}: use {', '.join(NOTIFY_TYPES)}")
    if channel.type == "smtp":
        if not channel.host or not channel.sender:
            raise UserError(f"{where}: an smtp channel needs host and sender")
        if channel.security not in ("starttls", "tls", "none"):
            raise UserError(f"{where}.security = {channel.security!r}: use starttls, tls or none")
        if channel.security == "none" and channel.username:
            raise UserError(f"{where}: a login without TLS sends the password in clear; use starttls or tls")
    elif urlsplit(channel.url).scheme not in ("http", "https"):
        raise UserError(f"{where}.url = {channel.url!r}: give the robot's https:// webhook address")


def _validate_route(where: str, route: NotifyRouteConfig, channels: dict[str, NotifyChannelConfig]) -> None:
    if not route.role or not route.channels:
        raise UserError(f"{where}: a route needs a role and at least one channel")
    for name in route.channels:
        if name not in channels:
            raise UserError(f"{where}.channels: no channel {name!r} under [notify.channels]")
        if channels[name].type == "smtp" and not route.to:
            raise UserError(f"{where}: channel {name!r} sends e-mail; list the addresses in to")
    for kind in route.kinds:
        if kind not in NOTIFY_KINDS:
            raise UserError(f"{where}.kinds: {kind!r} is none of {', '.join(NOTIFY_KINDS)}")
    if route.language not in ("", "zh_CN", "en"):
        raise UserError(f'{where}.language = {route.language!r}: use "zh_CN" or "en"')


def _build(cls: type, data: Any, prefix: str) -> Any:
    if not isinstance(data, dict):
        raise UserError(f"config: [{prefix.rstrip('.') or 'top'}] must be a table")
    hints = get_type_hints(cls)
    known = {f.name: f for f in fields(cls) if not f.metadata.get("internal")}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            if key.lower() in SECRET_KEYS:
                raise UserError(
                    f"config key {prefix}{key}: passwords are never kept in the config file; "
                    f"store it with `python main.py secret set mqtt|db|notify ACCOUNT`"
                )
            choices = ", ".join(sorted(known))
            raise UserError(f"config: unknown key {prefix}{key} (known here: {choices})")
        kwargs[key] = _coerce(hints[key], value, f"{prefix}{key}")
    return cls(**kwargs)


def _coerce(hint: Any, value: Any, name: str) -> Any:
    if isinstance(hint, type) and is_dataclass(hint):
        return _build(hint, value, name + ".")
    origin = get_origin(hint)
    if origin is dict:
        if not isinstance(value, dict):
            raise UserError(f"config: {name} must be a table")
        _key_t, val_t = get_args(hint)
        return {str(k): _coerce(val_t, v, f"{name}.{k}") for k, v in value.items()}
    if origin is list:
        if not isinstance(value, list):
            raise UserError(f"config: {name} must be a list")
        (item_t,) = get_args(hint)
        return [_coerce(item_t, v, f"{name}[{i}]") for i, v in enumerate(value)]
    return _coerce_scalar(hint, value, name)


# What a TOML value may be for each scalar field type, and how the error names it. TOML's true and
# false are Python bools, which are ints too: never a number here.
_SCALARS: dict[Any, tuple[tuple[type, ...], str]] = {
    float: ((int, float), "a number"),
    int: ((int,), "a whole number"),
    str: ((str,), "a string"),
}


def _coerce_scalar(hint: Any, value: Any, name: str) -> Any:
    if hint is bool:
        if not isinstance(value, bool):
            raise UserError(f"config: {name} must be true or false, not {value!r}")
        return value
    if hint not in _SCALARS:
        raise UserError(f"config: {name} has an unsupported type")  # pragma: no cover - schema error
    accepted, words = _SCALARS[hint]
    fits = not isinstance(value, bool) and isinstance(value, accepted)
    if not fits:
        raise UserError(f"config: {name} must be {words}, not {type(value).__name__} {value!r}")
    return float(value) if hint is float else value


def mask_url(url: str) -> str:
    """Hide a password that someone put into a URL anyway."""
    if not url:
        return url
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def as_toml(config: Config) -> str:
    """The effective configuration as TOML, secrets masked, for `config show`."""
    lines = [f"# effective configuration (from {config.source}); secrets live in the keyring"]
    for f in fields(config):
        if f.metadata.get("internal"):
            continue
        value = getattr(config, f.name)
        if f.name == "sites":
            if not value:
                lines += ["", "# [sites.<site id>]: none configured; every site uses these defaults:"]
                lines += [f"# {line}" for line in _table_lines(SiteConfig())]
            for site_id, site in value.items():
                lines += ["", f"[sites.{site_id}]", *_table_lines(site)]
            continue
        if f.name == "notify":
            lines += _notify_lines(value)
            continue
        if f.name == "sparkplug":  # its mapping and stop targets as arrays of tables
            lines += [
                "",
                "[sparkplug]",
                *(x for x in _table_lines(value) if x.split(" = ")[0] not in ("map", "stop")),
            ]
            lines += [
                y
                for key in ("map", "stop")
                for x in getattr(value, key)
                for y in ("", f"[[sparkplug.{key}]]", *_table_lines(x))
            ]
            continue
        lines += ["", f"[{f.name}]", *_table_lines(value)]
    return "\n".join(lines) + "\n"


def _notify_lines(notify: NotifyConfig) -> list[str]:
    """[notify] with its channels and routes as tables of their own (a TOML file can be read back)."""
    tables = ("channels", "routes")
    lines = ["", "[notify]"]
    lines += [line for line in _table_lines(notify) if line.split(" = ")[0] not in tables]
    for table in tables:
        for name, item in getattr(notify, table).items():
            lines += ["", f"[notify.{table}.{name}]", *_table_lines(item)]
    return lines


def _table_lines(obj: Any) -> list[str]:
    out = []
    for f in fields(obj):
        value = getattr(obj, f.name)
        if f.name == "url":
            value = mask_url(value)
        out.append(f"{f.name} = {_toml_value(value)}")
    return out


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {_toml_value(v)}' for k, v in value.items()) + " }"
    return repr(value)
