"""Enums whose members carry the words people read, so a value and its label are written once, side by side."""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enum whose members are written `NAME = 'value', 'Label'`; `.label` is what a screen shows."""

    _label: str

    def __new__(cls, value: str, label: str) -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        """Return the member as people read it."""
        return self._label
