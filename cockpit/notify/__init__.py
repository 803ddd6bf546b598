"""Notifications off the console: e-mail and chat robots for the alarms and escalations that must
reach people who are not looking at a screen (docs/NOTIFICATIONS.md)."""

from cockpit.notify.notifier import Notifier, plant_names_from

__all__ = ["Notifier", "plant_names_from"]
