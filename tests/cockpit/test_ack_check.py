"""Acknowledgements the cockpit refuses (cockpit/ack_check.py), on a broker that lets anyone publish:
one for a command nobody sent, one from another area, one from another site. Each is counted by its
reason and stored nowhere; the real gateway's acknowledgement, sent after them, is taken."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from cockpit.ack_check import ACK_REJECTION_REASONS
from cockpit.core import CockpitCore
from connectors.database import Database
from models.schema import AuditEntry, Command, CommandAckRow
from tests.cockpit.test_stop_work_loop import make_config, ms, reading, stops
from tests.support.broker import MosquittoProcess, PahoPeer, wait_until

pytestmark = pytest.mark.broker


def _ack(command_id: str, status: str) -> bytes:
    return json.dumps({"command_id": command_id, "ts": ms(), "status": status, "by": "GW-07"}).encode()


def test_forged_and_misrouted_acknowledgements_are_counted_and_never_stored(
    broker: MosquittoProcess, db: Database
) -> None:
    field = PahoPeer(broker.url, "field-gateway")
    field.subscribe("plant/+/+/cmd/#")
    core = CockpitCore(make_config(broker), db, console="c1")
    core.start()
    try:
        assert wait_until(lambda: core.connector.link_state.connected, 10)
        for seq, lel in enumerate((3.0, 31.0), start=1):
            field.publish("plant/S1/A1/sensor/GD-1", reading(lel, seq), qos=1)
        assert wait_until(lambda: len(stops(field)) == 1, 10)
        command_id = stops(field)[0]["command_id"]

        field.publish("plant/S1/A1/cmd/ack", _ack("made-up-command", "executed"))
        field.publish("plant/S1/A2/cmd/ack", _ack(command_id, "executed"))
        field.publish("plant/S2/A1/cmd/ack", _ack(command_id, "executed"))
        field.publish("plant/S1/A1/cmd/ack", _ack(command_id, "received"))  # the area's gateway

        def state() -> str:
            return core.call(lambda: core.stopwork.commands[command_id].state).result(5)

        assert wait_until(lambda: state() == "received", 10)
        by_reason = core.rejections.by_reason()
        assert {k: by_reason.get(k) for k in ACK_REJECTION_REASONS} == {
            "ack_unknown_command": 1,
            "ack_wrong_area": 1,
            "ack_wrong_site": 1,
        }
        recent = {e.reason: e for e in core.rejections.recent()}
        assert recent["ack_wrong_area"].topic == "plant/S1/A2/cmd/ack"
        assert "S1/A1" in recent["ack_wrong_area"].detail
        assert wait_until(lambda: core.health_payload()["rejected_by_reason"].get("ack_wrong_site") == 1)
        with db.session() as s:
            assert s.get(Command, command_id).state.value == "received"
            assert [a.status for a in s.scalars(select(CommandAckRow))] == ["received"]
            actions = [e.action for e in s.scalars(select(AuditEntry))]
            assert "command.executed" not in actions and actions.count("command.received") == 1
    finally:
        core.stop()
        field.close()
