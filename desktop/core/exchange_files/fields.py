"""Reading untrusted JSON by hand: every value checked for type, presence and sanity.

A package comes from another office on a USB stick; its JSON may be damaged, forged or
written by a different program. Each reader here takes the object, the key and the path
of the value (for the message) and either returns a value of the promised type or raises
``PackageError`` with a Chinese sentence naming the place, e.g.
``数据文件中 tasks[3].deadline 应为日期（YYYY-MM-DD）``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from desktop.core.names import name_problem, normalise_name
from desktop.errors import PackageError

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_CODE = re.compile(r"[0-9]{6}")
# control characters other than tab, newline and carriage return have no place in text, nor
# lone surrogates (``"\\ud800"`` is valid JSON but no text: SQLite cannot store it)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# ``YYYY-MM-DD`` only: ``date.fromisoformat`` also takes ``2027-W01-1`` and other digits
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# plain decimal text as ``str(Decimal)`` writes it; ``Decimal`` itself also takes spaces,
# underscores, other scripts' digits and exponents far beyond any real target
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,2})?")


class Reader:
    """Typed access to one JSON object, with the file and path used in messages."""

    def __init__(self, obj: object, where: str, path: str) -> None:
        self.where = where
        self.path = path
        if not isinstance(obj, dict):
            self.fail(path or "最外层", "应为对象（{…}）")
        self.obj: dict[str, Any] = obj  # type: ignore[assignment]

    # failure ---------------------------------------------------------------------------

    def fail(self, path: str, what: str) -> None:
        raise PackageError(f"上报包的{self.where}有误：{path} {what}。", hint=_HINT)

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.obj:
            if required:
                self.fail(self._at(key), "缺失")
            return None
        return self.obj[key]

    # scalars ---------------------------------------------------------------------------

    def text(self, key: str, *, max_len: int = 20_000, required: bool = True) -> str:
        value = self.obj.get(key, _MISSING)
        # the fast path, taken by nearly every value of a sound package; isprintable() is
        # a C check that only text with line breaks or tabs (or worse) fails
        if type(value) is str and len(value) <= max_len and value.isprintable():
            return value
        if value is _MISSING and not required:
            return ""
        value = self._get(key, required)
        if not isinstance(value, str):
            self.fail(self._at(key), "应为文本")
        if len(value) > max_len:
            self.fail(self._at(key), f"过长（超过 {max_len} 个字符）")
        if _CONTROL.search(value):
            self.fail(self._at(key), "含有不可见的控制字符")
        return str(value)

    def loose_texts(self, keys: tuple[str, ...], *, cap: int = 100_000) -> list[str]:
        """Texts whose content the field schema checks afterwards (``desktop.core.schema``,
        which names the field and the limit in the words the sender's forms use): here only
        their type, presence and a sanity cap far above any field's limit."""
        obj, out = self.obj, []
        for key in keys:
            value = obj.get(key, _MISSING)
            if type(value) is not str:
                value = self._get(key, True)
                if not isinstance(value, str):
                    self.fail(self._at(key), "应为文本")
            if len(value) > cap:
                self.fail(self._at(key), f"过长（超过 {cap} 个字符）")
            out.append(str(value))
        return out

    def loose_names(self, key: str, *, max_items: int = 50, cap: int = 1000) -> tuple[str, ...]:
        """Non-empty unit names in their one spelling (``core/names.py``: a name with a
        character nobody can see is refused, naming its position); the field schema checks
        their length and characters afterwards."""
        out = []
        for i, item in enumerate(self.items(key, max_items=max_items)):
            if not isinstance(item, str) or not item.strip() or len(item) > cap:
                self.fail(f"{self._at(key)}[{i}]", "应为非空的文本")
            problem = name_problem(item, "单位名称", controls=False)
            if problem is not None:
                self.fail(f"{self._at(key)}[{i}]", problem)
            # a control character is left for the field schema to name, in its own words
            out.append(item.strip() if name_problem(item) else normalise_name(item))
        return tuple(out)

    def optional_boolean(self, key: str) -> bool:
        """A flag a newer program added: absent means false."""
        if key not in self.obj:
            return False
        return self.boolean(key)

    def name(self, key: str, *, max_len: int = 120) -> str:
        """A non-empty one-line text such as a locality or a uid."""
        value = self.text(key, max_len=max_len).strip()
        if not value or "\n" in value or "\r" in value:
            self.fail(self._at(key), "应为非空的单行文本")
        return value

    def locality(self, key: str, *, max_len: int = 80) -> str:
        """A locality's name, normalised (``desktop.core.names``): an invisible character in
        it is refused with its position, so a look-alike name cannot pass for another."""
        value = self.name(key, max_len=max_len)
        problem = name_problem(value, "地区名称")
        if problem is not None:
            self.fail(self._at(key), problem)
        return normalise_name(value)

    def code(self, key: str, *, required: bool = True) -> str:
        """A 行政区划代码: six digits, or empty where the sender has none."""
        value = self.text(key, max_len=20, required=required).strip()
        if value and not _CODE.fullmatch(value):
            self.fail(self._at(key), f"应为 6 位行政区划代码，实为“{value[:20]}”")
        return value

    def integer(self, key: str, low: int, high: int) -> int:
        value = self.obj.get(key, _MISSING)
        if type(value) is int and low <= value <= high:
            return value
        value = self._get(key, True)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(self._at(key), "应为整数")
        if not low <= value <= high:
            self.fail(self._at(key), f"应在 {low} 到 {high} 之间，实为 {value}")
        return int(value)

    def optional_integer(self, key: str, low: int, high: int) -> int | None:
        if self._get(key, True) is None:
            return None
        return self.integer(key, low, high)

    def boolean(self, key: str) -> bool:
        value = self._get(key, True)
        if not isinstance(value, bool):
            self.fail(self._at(key), "应为 true 或 false")
        return bool(value)

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        value = self.text(key, max_len=40)
        if value not in options:
            self.fail(self._at(key), f"应为 {'、'.join(options)} 之一，实为“{value}”")
        return value

    def texts(self, spec: tuple[tuple[str, int], ...]) -> list[str]:
        """Several required texts at once, ``spec`` being (key, maximum length) pairs; the
        same checks as ``text`` in a tight loop (a list has tens of thousands of fields)."""
        obj, out = self.obj, []
        for key, limit in spec:
            value = obj.get(key, _MISSING)
            if type(value) is str and len(value) <= limit and value.isprintable():
                out.append(value)
            else:
                out.append(self.text(key, max_len=limit))
        return out

    def day(self, key: str) -> date:
        value = self.text(key, max_len=10)
        found = _day(value)
        if found is None:
            self.fail(self._at(key), f"应为日期（YYYY-MM-DD），实为“{value}”")
            raise AssertionError  # unreachable: fail() raises
        return found

    def optional_day(self, key: str) -> date | None:
        if self._get(key, True) is None:
            return None
        return self.day(key)

    def instant(self, key: str, *, required: bool = True) -> str:
        """An ISO-8601 time (may be empty when not required)."""
        value = self.text(key, max_len=40, required=required)
        if not value and not required:
            return ""
        if not _is_instant(value):
            self.fail(self._at(key), f"应为时间（ISO 8601），实为“{value}”")
        return value

    def decimal(self, key: str) -> str | None:
        value = self._get(key, True)
        if value is None:
            return None
        text = self.text(key, max_len=40)
        try:
            if not _DECIMAL.fullmatch(text):
                raise ValueError(text)
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            self.fail(self._at(key), f"应为数字文本，实为“{text}”")
            raise
        if not number.is_finite():
            self.fail(self._at(key), "应为有限的数字")
        return text

    def sha256(self, key: str) -> str:
        value = self.text(key, max_len=64)
        if not _HEX64.match(value):
            self.fail(self._at(key), "应为 64 位小写十六进制的 SHA-256")
        return value

    # containers ------------------------------------------------------------------------

    def items(self, key: str, *, max_items: int) -> list[Any]:
        value = self._get(key, True)
        if not isinstance(value, list):
            self.fail(self._at(key), "应为列表（[…]）")
        if len(value) > max_items:
            self.fail(self._at(key), f"条目过多（超过 {max_items} 条）")
        return list(value)

    def objects(self, key: str, *, max_items: int) -> list[Reader]:
        return [
            Reader(item, self.where, f"{self._at(key)}[{i}]")
            for i, item in enumerate(self.items(key, max_items=max_items))
        ]

    def names(self, key: str, *, max_items: int = 50, max_len: int = 120) -> tuple[str, ...]:
        out = []
        for i, item in enumerate(self.items(key, max_items=max_items)):
            if not isinstance(item, str) or not item.strip() or len(item) > max_len:
                self.fail(f"{self._at(key)}[{i}]", "应为非空的单行文本")
            if _CONTROL.search(item) or "\n" in item:
                self.fail(f"{self._at(key)}[{i}]", "含有不可见的控制字符或换行")
            out.append(item.strip())
        return tuple(out)

    def child(self, key: str) -> Reader:
        return Reader(self._get(key, True), self.where, self._at(key))

    def optional_child(self, key: str) -> Reader | None:
        value = self._get(key, True)
        return None if value is None else Reader(value, self.where, self._at(key))


@lru_cache(maxsize=4096)
def _day(text: str) -> date | None:
    """The date of ``YYYY-MM-DD`` text, or None (a list repeats a few dates many times)."""
    try:
        return date.fromisoformat(text) if _DAY.fullmatch(text) else None
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _is_instant(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


_HINT = "文件可能在传递中损坏或被改动过，请让报送单位重新导出上报包。"
_MISSING = object()
