"""Notifications off the console: e-mail and chat robots for the alarms and escalations that must
reach people who are not looking at a screen (docs/NOTIFICATIONS.md)."""

from cockpit.notify.notifier import Notifier, core_notifier

__all__ = ["Notifier", "core_notifier"]
