"""Relabel a QFormLayout's rows in place: a screen's retranslation sets new words on the same labels."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QFormLayout, QLabel


def set_form_labels(form: QFormLayout, texts: Sequence[str]) -> None:
    """Row ``i``'s label gets ``texts[i]``; a row without a label widget is left alone."""
    for row, text in enumerate(texts):
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        label = item.widget() if item is not None else None
        if isinstance(label, QLabel):
            label.setText(text)
