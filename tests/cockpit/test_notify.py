"""The notifier against real receivers: an SMTP server with STARTTLS and a login, and a local HTTP
server standing in for the WeCom, DingTalk and Feishu robots (JSON and signatures checked).
Once per cause, unacknowledged past the set time (the clock injected), escalation steps by role, and
failures counted with their retries, never carrying a secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from cockpit.config import Config, NotifyChannelConfig, NotifyRouteConfig
from cockpit.notify import Notifier
from cockpit.notify.texts import PlantNames
from cockpit.permits.records import Escalation
from connectors.secrets import set_secret
from models.alarms import AlarmState, AlarmTransition
from models.records import Priority
from tests.support.broker import wait_until
from tests.support.notify_servers import RobotServer, SmtpServer, free_port

T0 = datetime(2026, 12, 4, 2, 30, tzinfo=UTC)  # 10:30 in Shanghai
NAMES = PlantNames(
    plant="示范化工园区",
    sites={"S1": "一号厂区"},
    areas={("S1", "A1"): "加氢装置"},
    timezones={"S1": "Asia/Shanghai"},
)
U, A, N, R = AlarmState.UNACK, AlarmState.ACKED, AlarmState.NORMAL, AlarmState.RTN_UNACK


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def advance(self, **kw: float) -> None:
        with self._lock:
            self.now += timedelta(**kw)


def tr(
    frm: AlarmState,
    to: AlarmState,
    *,
    alarm_id: str = "S1/A1/GD-1/LEL:LEVEL",
    condition: str = "HIHI",
    priority: Priority = Priority.CRITICAL,
    ts: datetime = T0,
    value: float | None = 31.0,
    permit: str | None = None,
) -> AlarmTransition:
    return AlarmTransition(
        alarm_id=alarm_id,
        ts=ts,
        site="S1",
        area="A1",
        source=alarm_id.split(":", maxsplit=1)[0],
        condition=condition,
        priority=priority,
        from_state=frm,
        to_state=to,
        value=value,
        unit="%LEL" if value is not None else "",
        who="",
        note="",
        message="",
        limit=25.0 if value is not None else None,
        permit=permit,
    )


@pytest.fixture
def robots() -> Iterator[RobotServer]:
    server = RobotServer().start()
    yield server
    server.stop()


def robot_config(robots: RobotServer, **notify: object) -> Config:
    config = Config()
    n = config.notify
    n.retry_base_s = 0.05
    n.channels = {
        "wx": NotifyChannelConfig(type="wecom", url=f"{robots.url}/cgi-bin/webhook/send"),
        "ding": NotifyChannelConfig(type="dingtalk", url=f"{robots.url}/robot/send", sign=True),
        "fs": NotifyChannelConfig(type="feishu", url=f"{robots.url}/open-apis/bot/v2/hook", sign=True),
    }
    n.routes = {
        "leads": NotifyRouteConfig(
            role="shift_lead", sites=["S1"], channels=["wx", "ding", "fs"], language="en"
        ),
    }
    for key, value in notify.items():
        setattr(n, key, value)
    set_secret("notify", "wx", "wecom-key-1")
    set_secret("notify", "ding", "ding-token-1")
    set_secret("notify", "ding.sign", "SECding")
    set_secret("notify", "fs", "feishu-hook-1")
    set_secret("notify", "fs.sign", "SECfeishu")
    return config


def started(config: Config, clock: Clock | None = None) -> Notifier:
    notifier = Notifier(config, clock=clock or Clock(), plant_names=lambda: NAMES)
    notifier.start()
    return notifier


def test_robots_get_their_json_and_valid_signatures(robots: RobotServer) -> None:
    notifier = started(robot_config(robots))
    try:
        notifier.add([tr(N, U)])
        assert wait_until(lambda: len(robots.posts) == 3, 20)
    finally:
        notifier.stop()
    (wx,) = robots.on("/cgi-bin/webhook/send")
    assert wx.query == {"key": "wecom-key-1"}
    assert wx.body["msgtype"] == "text"
    text = wx.body["text"]["content"]
    assert text.startswith("[Priority 1 alarm] 示范化工园区 一号厂区 / 加氢装置")
    assert "high-high, S1/A1/GD-1/LEL, 31 %LEL (limit 25)" in text
    assert "Time: 2026-12-04 10:30:00 (Asia/Shanghai)" in text  # the plant's zone, not the machine's

    (ding,) = robots.on("/robot/send")
    assert ding.body == {"msgtype": "text", "text": {"content": text}}
    assert ding.query["access_token"] == "ding-token-1"
    ts = ding.query["timestamp"]
    expected = base64.b64encode(
        hmac.new(b"SECding", f"{ts}\nSECding".encode(), hashlib.sha256).digest()
    ).decode()
    assert ding.query["sign"] == expected  # parse_qs undid the URL encoding the robot expects
    assert abs(int(ts) / 1000 - datetime.now(UTC).timestamp()) < 3600  # milliseconds, real time

    (fs,) = robots.on("/open-apis/bot/v2/hook/")
    assert fs.path == "/open-apis/bot/v2/hook/feishu-hook-1"
    assert fs.body["msg_type"] == "text" and fs.body["content"] == {"text": text}
    fts = fs.body["timestamp"]
    assert isinstance(fts, str) and abs(int(fts) - datetime.now(UTC).timestamp()) < 3600  # seconds
    key = f"{fts}\nSECfeishu".encode()
    assert fs.body["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    snap = notifier.snapshot()
    assert snap["sent"] == 3 and snap["failed"] == 0 and snap["last_error"] == ""
    assert quote_plus("+/=") == "%2B%2F%3D"  # what the DingTalk query encoding must protect


def test_once_per_cause_a_second_transition_sends_nothing(robots: RobotServer) -> None:
    notifier = started(robot_config(robots))
    try:
        notifier.add([tr(N, U)])
        assert wait_until(lambda: len(robots.on("/cgi-bin")) == 1, 20)
        # the same alarm again and again: latched HIHI, acknowledged, returned unacknowledged ...
        notifier.add([tr(U, U, value=35.0), tr(U, A), tr(A, R)])
        notifier.add([tr(R, U), tr(U, A)])
        # ... and a priority-2 alarm, which is not a priority-1 cause at all
        notifier.add([tr(N, U, alarm_id="S1/A1/GD-1/H2S:LEVEL", condition="HI", priority=Priority.HIGH)])
        assert wait_until(lambda: notifier.snapshot()["pending"] == 0, 10)
        wait_until(lambda: False, 1.0)  # anything wrongly queued would have gone out by now
        assert len(robots.on("/cgi-bin")) == 1
        # back to normal, then raised again: a new episode, so a new cause
        notifier.add([tr(A, N), tr(N, U, ts=T0 + timedelta(minutes=30))])
        assert wait_until(lambda: len(robots.on("/cgi-bin")) == 2, 20)
    finally:
        notifier.stop()


def test_unacknowledged_past_the_set_time_is_sent_once_after_it(robots: RobotServer) -> None:
    clock = Clock()
    config = robot_config(robots, unacked_after_min=10.0)
    config.notify.routes["leads"].channels = ["wx"]
    config.notify.routes["leads"].kinds = ["unacked"]
    notifier = started(config, clock)
    try:
        hi = dict(alarm_id="S1/A1/GD-1/H2S:LEVEL", condition="HI", priority=Priority.HIGH)
        notifier.add([tr(N, U, **hi)])  # type: ignore[arg-type]
        # an acknowledged alarm is never chased
        notifier.add([tr(N, U, alarm_id="S1/A1/GD-1/CO:LEVEL"), tr(U, A, alarm_id="S1/A1/GD-1/CO:LEVEL")])
        clock.advance(minutes=9, seconds=59)
        wait_until(lambda: False, 1.5)  # the worker looks twice a second: it had its chances
        assert robots.posts == []
        clock.advance(seconds=1)
        assert wait_until(lambda: len(robots.posts) == 1, 20)
        text = robots.posts[0].body["text"]["content"]
        assert text.startswith("[Alarm not acknowledged]")
        assert "not acknowledged for 10 min" in text
        assert "Time: 2026-12-04 10:40:00 (Asia/Shanghai)" in text
        clock.advance(minutes=30)
        wait_until(lambda: False, 1.5)
        assert len(robots.posts) == 1  # once per cause
    finally:
        notifier.stop()


def escalation(step: int, to: str, permit: str = "HW-7") -> Escalation:
    deadline = T0 - timedelta(minutes=1)
    overdue = timedelta(minutes=1 + 15 * step)
    return Escalation(permit, "S1", "A1", deadline, overdue, step, to)


def test_each_escalation_step_goes_once_to_the_role_it_names(robots: RobotServer) -> None:
    """The permit timers hand the steps they have just recorded; each goes to its own role, once."""
    config = robot_config(robots)
    routes = config.notify.routes
    routes["leads"].channels = ["wx"]
    routes["safety"] = NotifyRouteConfig(role="safety_department", channels=["ding"], language="zh_CN")
    routes["elsewhere"] = NotifyRouteConfig(role="safety_department", sites=["S2"], channels=["fs"])
    notifier = started(config)
    try:
        notifier.escalated([escalation(0, "shift_lead")])
        assert wait_until(lambda: len(robots.on("/cgi-bin")) == 1, 20)
        en = robots.on("/cgi-bin")[0].body["text"]["content"]
        assert "permit HW-7 is past its approval deadline: escalated to shift lead (step 1)" in en
        assert "Permit: HW-7" in en and "Alarm:" not in en  # paperwork, not an alarm
        assert robots.on("/robot") == []  # the safety department only at its own step
        # a batch naming the same step twice (two rounds racing) still tells it once
        notifier.escalated([escalation(1, "safety_department")] * 2)
        assert wait_until(lambda: len(robots.on("/robot")) == 1, 20)
        zh = robots.on("/robot")[0].body["text"]["content"]
        assert zh.startswith("【审批超时升级】示范化工园区 一号厂区 / 加氢装置")
        assert "作业票 HW-7 超过审批时限未审批，已升级至安全部门（第 2 级）" in zh
        assert "时间：2026-12-04 10:45:00（Asia/Shanghai）" in zh
        wait_until(lambda: False, 1.0)
        assert len(robots.on("/cgi-bin")) == 1 and len(robots.on("/robot")) == 1
        assert robots.on("/open-apis") == []  # the route of another site hears nothing
        assert notifier.snapshot()["notices"] == 2
    finally:
        notifier.stop()


def test_a_dead_robot_is_retried_with_back_off_then_counted_without_its_secret() -> None:
    config = Config()
    n = config.notify
    n.attempts, n.retry_base_s, n.timeout_s = 3, 0.05, 2.0
    n.channels = {"wx": NotifyChannelConfig(type="wecom", url=f"http://127.0.0.1:{free_port()}/send")}
    n.routes = {"leads": NotifyRouteConfig(role="shift_lead", channels=["wx"])}
    set_secret("notify", "wx", "very-secret-key")
    notifier = started(config)
    try:
        notifier.add([tr(N, U)])
        assert wait_until(lambda: notifier.snapshot()["failed"] == 1, 30)
    finally:
        notifier.stop()
    snap = notifier.snapshot()
    assert snap["retries"] == 2 and snap["sent"] == 0 and snap["pending"] == 0
    assert snap["last_error"] == "network"
    assert snap["channels"]["wx"] == {"sent": 0, "failed": 1, "last_error": "network"}
    assert "very-secret-key" not in repr(snap)


def test_a_missing_secret_is_a_code_and_a_refusing_robot_its_status(robots: RobotServer) -> None:
    config = robot_config(robots, attempts=1)
    config.notify.routes["leads"].channels = ["wx", "fs"]
    set_secret("notify", "fs", "feishu-hook-1")
    from connectors.secrets import delete_secret

    delete_secret("notify", "fs.sign")
    robots.status = 403
    notifier = started(config)
    try:
        notifier.add([tr(N, U)])
        assert wait_until(lambda: notifier.snapshot()["failed"] == 2, 20)
    finally:
        notifier.stop()
    channels = notifier.snapshot()["channels"]
    assert channels["wx"]["last_error"] == "http_403"
    assert channels["fs"]["last_error"] == "secret_missing"
    assert robots.on("/open-apis") == []  # nothing unsigned went out


def test_the_core_side_only_enqueues_and_a_full_queue_drops_counted() -> None:
    config = Config()
    config.notify.queue_size = 2
    config.notify.channels = {"wx": NotifyChannelConfig(type="wecom", url="http://127.0.0.1:9/x")}
    config.notify.routes = {"r": NotifyRouteConfig(role="shift_lead", channels=["wx"])}
    notifier = Notifier(config, clock=Clock())  # not started: nobody takes from the queue
    for _ in range(3):
        notifier.add([tr(N, U), tr(U, A)])  # never waits, never raises
    assert notifier.snapshot()["dropped"] == 2
    for _ in range(3):  # the permit timers' side: the same bounded, non-blocking hand-over
        notifier.escalated([escalation(0, "shift_lead")])
    assert notifier.snapshot()["dropped"] == 3
    assert not Notifier(Config(), clock=Clock()).enabled  # no routes: off, and add() does nothing


def mail_config(server: SmtpServer, security: str = "starttls", attempts: int = 5) -> Config:
    config = Config()
    n = config.notify
    n.attempts, n.retry_base_s = attempts, 0.05
    n.channels = {
        "mail": NotifyChannelConfig(
            type="smtp",
            host="127.0.0.1",
            port=server.port,
            security=security,
            username="cockpit@plant.example",
            sender="cockpit@plant.example",
            tls_ca_file=str(server.pki.ca_file),
        )
    }
    n.routes = {"leads": NotifyRouteConfig(role="shift_lead", channels=["mail"], to=["lead@plant.example"])}
    set_secret("notify", "mail", "mail-pw")
    return config


# aiosmtpd does not count an implicit-TLS port as TLS and warns of AUTH without it: it is TLS here.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_mail_goes_out_over_implicit_tls(tmp_path: Path) -> None:
    server = SmtpServer(tmp_path / "pki", "cockpit@plant.example", "mail-pw", mode="tls").start()
    try:
        notifier = started(mail_config(server, "tls"))
        try:
            notifier.add([tr(N, U)])
            assert wait_until(lambda: len(server.mails) == 1, 30)
        finally:
            notifier.stop()
        assert server.logins == ["cockpit@plant.example"]
    finally:
        server.stop()


def test_a_mail_server_without_starttls_gets_neither_password_nor_message(tmp_path: Path) -> None:
    server = SmtpServer(tmp_path / "pki", "cockpit@plant.example", "mail-pw", mode="plain").start()
    try:
        notifier = started(mail_config(server, attempts=1))
        try:
            notifier.add([tr(N, U)])
            assert wait_until(lambda: notifier.snapshot()["failed"] == 1, 30)
        finally:
            notifier.stop()
        assert notifier.snapshot()["last_error"] == "smtp_no_starttls"
        assert server.logins == [] and server.mails == []
    finally:
        server.stop()


def test_without_a_usable_keyring_the_channel_fails_with_a_code(robots: RobotServer) -> None:
    """DEVELOPERS.md's keyring trap: `serve` as a service account has no keyring. The notifier says
    so in diagnostics; it does not crash and does not fall back to anything in plain text."""
    import keyring
    from keyring.backends.fail import Keyring as FailKeyring

    config = robot_config(robots, attempts=1)
    config.notify.routes["leads"].channels = ["wx"]
    before = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    try:
        notifier = started(config)
        try:
            notifier.add([tr(N, U)])
            assert wait_until(lambda: notifier.snapshot()["failed"] == 1, 20)
        finally:
            notifier.stop()
    finally:
        keyring.set_keyring(before)
    assert notifier.snapshot()["last_error"] == "keyring_unavailable"
    assert robots.posts == []


def test_mail_goes_out_over_starttls_with_the_keyring_password(tmp_path: Path) -> None:
    server = SmtpServer(tmp_path / "pki", "cockpit@plant.example", "mail-pw").start()
    try:
        config = mail_config(server)
        n = config.notify
        n.routes["commander"] = NotifyRouteConfig(
            role="incident_commander", channels=["mail"], to=["ic@plant.example"]
        )
        notifier = started(config)
        try:
            notifier.add([tr(N, U)])
            assert wait_until(lambda: len(server.mails) == 1, 30)
        finally:
            notifier.stop()
        (mail,) = server.mails
        assert mail.tls  # STARTTLS before the login and the message
        assert server.logins == ["cockpit@plant.example"]
        assert sorted(mail.rcpt_tos) == ["ic@plant.example", "lead@plant.example"]  # one mail, both roles
        parsed = message_from_bytes(mail.content, policy=default_policy)
        assert parsed["Subject"] == "【一级报警】示范化工园区 一号厂区 / 加氢装置"
        body = parsed.get_body().get_content()  # type: ignore[union-attr]
        assert "高高报，S1/A1/GD-1/LEL，31 %LEL（限值 25）" in body
        assert "时间：2026-12-04 10:30:00（Asia/Shanghai）" in body
        assert notifier.snapshot()["sent"] == 1
    finally:
        server.stop()


NOTIFY_TOML = """
[general]
language = "zh_CN"

[notify]
unacked_after_min = 15

[notify.channels.mail]
type = "smtp"
host = "smtp.plant.example"
port = 587
username = "cockpit@plant.example"
sender = "cockpit@plant.example"

[notify.channels.ops]
type = "dingtalk"
url = "https://oapi.dingtalk.com/robot/send"
sign = true

[notify.routes.leads_chem1]
role = "shift_lead"
sites = ["CHEM1"]
channels = ["mail", "ops"]
to = ["lead@plant.example"]
"""


def test_the_notify_section_is_read_checked_and_shown_back(tmp_path: Path) -> None:
    from cockpit.config import as_toml, load_config
    from models.errors import UserError

    path = tmp_path / "c.toml"
    path.write_text(NOTIFY_TOML, encoding="utf-8")
    config = load_config(path)
    assert config.notify.unacked_after_min == 15.0
    assert config.notify.channels["ops"].sign is True
    assert config.notify.routes["leads_chem1"].channels == ["mail", "ops"]
    assert Notifier(config, clock=Clock()).enabled
    again = tmp_path / "again.toml"
    again.write_text(as_toml(config), encoding="utf-8")  # `config show` prints a file that loads again
    assert load_config(again).notify == config.notify
    for bad, words in (
        ('[notify.channels.x]\ntype = "slack"\nurl = "https://x"\n', "notify.channels.x.type"),
        (
            '[notify.channels.x]\ntype = "wecom"\nurl = "https://x"\nsecret = "k"\n',
            "never kept in the config",
        ),
        ('[notify.routes.r]\nrole = "shift_lead"\nchannels = ["nope"]\n', "no channel 'nope'"),
        (NOTIFY_TOML.replace('to = ["lead@plant.example"]', ""), "list the addresses in to"),
        (NOTIFY_TOML.replace('sites = ["CHEM1"]', 'kinds = ["all"]'), "notify.routes.leads_chem1.kinds"),
    ):
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(UserError, match=words):
            load_config(path)
