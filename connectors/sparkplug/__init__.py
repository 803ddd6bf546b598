"""Eclipse Sparkplug B 3.0: the host application's codec (``codec.py``, the official ``sparkplug_b.proto``
compiled with protobuf) and its session rules (``host.py``: births, aliases, ``seq``, deaths, rebirths).

No configuration and no cockpit records here: ``cockpit/sparkplug_link.py`` maps metrics to areas' gas
channels and wires the host beside the JSON contract (docs/mqtt-cockpit-topics.md, "Sparkplug B 3.0").
"""
