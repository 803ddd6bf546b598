"""A Sparkplug B edge node driven by pysparkplug (a library none of us wrote), for the host's tests.

It runs in a virtualenv of its own (pysparkplug needs paho-mqtt<2; the cockpit pins paho 2.2), made by
``tests/support/sparkplug_edge.py``. Driven by JSON lines on stdin, it reports on stdout (JSON lines):

    {"op": "start", "host", "port", "group", "node", "keepalive", "node_metrics": [...],
     "devices": {id: [...]}}
    {"op": "ddata", "device", "metrics": [...], "seq_skip": 0}     (and "ndata" without "device")
    {"op": "ddeath", "device"}      {"op": "raw", "topic", "hex"}      {"op": "stop"}

A metric is {"name", "type" ("Double", "Boolean", "String" ...), "value", "alias", "unit", "quality",
"historical", "by_name"}: data goes by alias alone unless "by_name". It answers ``Node Control/Rebirth``
with a new NBIRTH (seq 0) and its DBIRTHs, and prints every command it receives.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any

import pysparkplug as sp
from pysparkplug._protobuf import Metric as PBMetric  # the library's own generated protobuf

_lock = threading.Lock()


def say(**event: Any) -> None:
    with _lock:
        sys.stdout.write(json.dumps(event) + "\n")
        sys.stdout.flush()


class PropMetric(sp.Metric):  # pysparkplug's Metric has no PropertySet: engUnit and Quality added here
    def __init__(self, *args: Any, props: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        object.__setattr__(self, "_props", props or {})

    def to_pb(self, include_dtype: bool) -> PBMetric:
        metric = super().to_pb(include_dtype)
        for key, value in self._props.items():
            metric.properties.keys.append(key)
            prop = metric.properties.values.add()
            if isinstance(value, str):
                prop.type, prop.string_value = 12, value
            else:
                prop.type, prop.int_value = 3, int(value)
        return metric


def now_ms() -> int:
    return int(time.time() * 1000)


class Edge:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.group, self.node = spec["group"], spec["node"]
        self.seq = 0
        self.bd_seq = int(spec.get("bd_seq", 0))
        self.defs: dict[str | None, dict[str, dict[str, Any]]] = {None: {}}
        for m in spec.get("node_metrics", []):
            self.defs[None][m["name"]] = m
        for device, metrics in spec.get("devices", {}).items():
            self.defs[device] = {m["name"]: m for m in metrics}
        self.client = sp.Client(client_id=f"edge-{self.group}-{self.node}")
        will = sp.Message(
            topic=sp.Topic(message_type=sp.MessageType.NDEATH, group_id=self.group, edge_node_id=self.node),
            payload=sp.NDeath(now_ms(), self._bd_seq_metric()),
            qos=sp.QoS.AT_MOST_ONCE,
            retain=False,
        )
        self.client.set_will(will)
        cmds = [
            sp.Topic(message_type=sp.MessageType.NCMD, group_id=self.group, edge_node_id=self.node),
            sp.Topic(
                message_type=sp.MessageType.DCMD, group_id=self.group, edge_node_id=self.node, device_id="+"
            ),
        ]
        for topic in cmds:
            self.client.subscribe(topic, sp.QoS.AT_MOST_ONCE, self._on_cmd)

    def _bd_seq_metric(self) -> sp.Metric:
        return sp.Metric(now_ms(), "bdSeq", sp.DataType.INT64, value=self.bd_seq)

    def _next_seq(self, skip: int = 0) -> int:
        self.seq = (self.seq + 1 + skip) % 256
        return self.seq

    def metric(self, device: str | None, m: dict[str, Any], birth: bool) -> sp.Metric:
        d = self.defs[device][m["name"]]
        props: dict[str, Any] = {}
        if birth and d.get("unit"):
            props["engUnit"] = d["unit"]
        if "quality" in m:
            props["Quality"] = m["quality"]
        return PropMetric(
            now_ms(),
            d["name"] if birth or m.get("by_name") else None,
            getattr(sp.DataType, d["type"].upper()),
            value=m.get("value", d.get("value")),
            alias=d.get("alias"),
            is_historical=bool(m.get("historical", False)),
            props=props,
        )

    def start(self) -> None:
        self.client.connect(
            self.spec["host"],
            port=int(self.spec["port"]),
            keepalive=int(self.spec.get("keepalive", 5)),
            callback=lambda _c: self.births(),
        )

    def births(self) -> None:
        self.seq = 0
        metrics = [self.metric(None, m, True) for m in self.defs[None].values()] + [self._bd_seq_metric()]
        topic = sp.Topic(message_type=sp.MessageType.NBIRTH, group_id=self.group, edge_node_id=self.node)
        self._publish(topic, sp.NBirth(now_ms(), 0, tuple(metrics)))
        for device, defs in self.defs.items():
            if device is not None:
                self.dbirth(device, defs)
        say(event="born", bd_seq=self.bd_seq)

    def dbirth(self, device: str, defs: dict[str, dict[str, Any]]) -> None:
        metrics = tuple(self.metric(device, m, True) for m in defs.values())
        topic = sp.Topic(
            message_type=sp.MessageType.DBIRTH, group_id=self.group, edge_node_id=self.node, device_id=device
        )
        self._publish(topic, sp.DBirth(now_ms(), self._next_seq(), metrics))

    def _publish(self, topic: sp.Topic, payload: Any) -> None:
        self.client.publish(sp.Message(topic, payload, sp.QoS.AT_MOST_ONCE, False), include_dtypes=True)

    def data(self, device: str | None, metrics: list[dict[str, Any]], skip: int) -> None:
        pbs = tuple(self.metric(device, m, False) for m in metrics)
        if device is None:
            topic = sp.Topic(message_type=sp.MessageType.NDATA, group_id=self.group, edge_node_id=self.node)
            self._publish(topic, sp.NData(now_ms(), self._next_seq(skip), pbs))
        else:
            topic = sp.Topic(
                message_type=sp.MessageType.DDATA,
                group_id=self.group,
                edge_node_id=self.node,
                device_id=device,
            )
            self._publish(topic, sp.DData(now_ms(), self._next_seq(skip), pbs))

    def ddeath(self, device: str) -> None:
        topic = sp.Topic(
            message_type=sp.MessageType.DDEATH, group_id=self.group, edge_node_id=self.node, device_id=device
        )
        self._publish(topic, sp.DDeath(now_ms(), self._next_seq()))

    def _on_cmd(self, _client: Any, message: Any) -> None:
        metrics = {m.name: m.value for m in message.payload.metrics}
        say(event="cmd", topic=str(message.topic), metrics=metrics)
        if metrics.get("Node Control/Rebirth") is True:
            self.births()
            say(event="rebirth")


def main() -> None:
    edge: Edge | None = None
    for line in sys.stdin:
        op = json.loads(line)
        kind = op["op"]
        if kind == "start":
            edge = Edge(op)
            edge.start()
        elif edge is None:
            say(event="error", detail="start first")
        elif kind in ("ddata", "ndata"):
            edge.data(op.get("device"), op["metrics"], int(op.get("seq_skip", 0)))
        elif kind == "ddeath":
            edge.ddeath(op["device"])
        elif kind == "raw":
            edge.client._client.publish(op["topic"], bytes.fromhex(op["hex"]), 0)
        elif kind == "stop":
            edge.client.disconnect()
            break
        say(event="done", op=kind)


if __name__ == "__main__":
    main()
