"""Small-cell suppression: the one function every output of the results area goes through.

The rule (DESIGN.md §5): a count of 1 to 4 people is never shown; it reads "<5" (primary
suppression). When a row or column has a known total, one hidden cell in it could be worked out as
the total minus the visible cells, so a second cell of that row or column is hidden too (secondary
suppression, shown as "x"). Hiding that second cell can leave another row or column with a single
hidden cell, so the rule is applied until nothing changes.

The page, the CSV and the XLSX exports (and the API) all call :func:`suppress` on the same
:class:`Table` and render :meth:`Table.display`; none of them ever sees a raw small count.

    table = Table(rows=["Zaanstad", "Westland", TOTAL], columns=["female", "male", TOTAL],
                  values={...}, row_total=TOTAL, column_total=TOTAL)
    result = suppress(table)
    result.display("Zaanstad", "female")   # "12", "<5", "x" or "0"

Additive relations beyond rows and columns (a funnel step shown elsewhere, for example) can be
given as extra ``groups``: (total cell, part cells).
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: The smallest group that may be shown.
THRESHOLD = 5
PRIMARY_MARK = "<5"
SECONDARY_MARK = "x"

Key = tuple[Hashable, Hashable]


def is_small(value: int | None) -> bool:
    """A count of 1 to 4: never shown."""
    return value is not None and 0 < value < THRESHOLD


def suppressed_cells(values: Mapping[Any, int | None], groups: Iterable[tuple[Any, Sequence[Any]]]) -> dict[Any, str]:
    """Which cells to hide and why: {cell: "primary" | "secondary"}.

    ``values`` maps a cell key to a count (None = not applicable, never hidden, never a part).
    ``groups`` are additive relations: the total cell equals the sum of the part cells. In a group
    whose total is visible, a single hidden part could be derived, so the smallest other visible
    part (preferring one that is not zero) is hidden too; when there is no other part, the total
    itself is hidden. Repeated until stable.
    """
    hidden: dict[Any, str] = {key: "primary" for key, value in values.items() if is_small(value)}
    groups = [(total, [p for p in parts if values.get(p) is not None]) for total, parts in groups]
    changed = True
    while changed:
        changed = False
        for total, parts in groups:
            if values.get(total) is None:
                total = None
            hidden_parts = [p for p in parts if p in hidden]
            total_hidden = total is not None and total in hidden
            if total is not None and not total_hidden and len(hidden_parts) == 1:
                candidates = [p for p in parts if p not in hidden]
                if candidates:
                    pick = min(candidates, key=lambda p: (values[p] == 0, values[p], str(p)))
                    hidden[pick] = "secondary"
                else:
                    hidden[total] = "secondary"
                changed = True
            elif total is not None and total_hidden and hidden_parts == [] and parts:
                # A hidden total with every part visible is the sum of the parts: hide a part.
                if sum(values[p] or 0 for p in parts) > 0:
                    pick = min(parts, key=lambda p: (values[p] == 0, values[p], str(p)))
                    hidden[pick] = "secondary"
                    changed = True
    return hidden


@dataclass
class Table:
    """A table of counts with its row and column keys.

    ``row_total``: the key of the column that holds each row's total of the other columns (or
    None when the columns do not add up, e.g. different measures). ``column_total``: the key of
    the row that holds each column's total of the other rows (None when a person can be in two
    rows). ``ratios``: cells computed from two counts, {cell: (numerator cell, denominator cell)};
    a ratio is hidden when either count is hidden, or when its denominator is small.
    """

    rows: list[Hashable]
    columns: list[Hashable]
    values: dict[Key, int | None]
    row_total: Hashable | None = None
    column_total: Hashable | None = None
    groups: list[tuple[Key, Sequence[Key]]] = field(default_factory=list)
    ratios: dict[Key, tuple[Key, Key]] = field(default_factory=dict)
    hidden: dict[Key, str] = field(default_factory=dict)
    suppressed: bool = False

    def value(self, row: Hashable, column: Hashable) -> int | None:
        return self.values.get((row, column))

    def all_groups(self) -> list[tuple[Key, list[Key]]]:
        groups: list[tuple[Key, list[Key]]] = [(total, list(parts)) for total, parts in self.groups]
        if self.row_total is not None:
            parts_columns = [c for c in self.columns if c != self.row_total and c not in self._ratio_columns()]
            for row in self.rows:
                groups.append(((row, self.row_total), [(row, c) for c in parts_columns]))
        if self.column_total is not None:
            parts_rows = [r for r in self.rows if r != self.column_total]
            for column in self.columns:
                if column in self._ratio_columns():
                    continue
                groups.append(((self.column_total, column), [(r, column) for r in parts_rows]))
        return groups

    def _ratio_columns(self) -> set[Hashable]:
        return {column for (_row, column) in self.ratios}

    def display(self, row: Hashable, column: Hashable) -> str:
        """What may be shown for a cell: a number, "<5", "x", or "–" when not applicable."""
        if not self.suppressed:
            raise RuntimeError("call suppress(table) before showing it")
        key = (row, column)
        if key in self.ratios:
            return self.ratio_display(key)
        reason = self.hidden.get(key)
        if reason == "primary":
            return PRIMARY_MARK
        if reason == "secondary":
            return SECONDARY_MARK
        value = self.values.get(key)
        return "–" if value is None else str(value)

    def shown(self, row: Hashable, column: Hashable) -> int | None:
        """The number when it may be shown, else None (for charts: a hidden bar is not drawn)."""
        if self.display(row, column) in (PRIMARY_MARK, SECONDARY_MARK, "–"):
            return None
        key = (row, column)
        return self.values.get(key) if key not in self.ratios else None

    def ratio(self, key: Key) -> float | None:
        numerator, denominator = self.ratios[key]
        if numerator in self.hidden or denominator in self.hidden:
            return None
        top, bottom = self.values.get(numerator), self.values.get(denominator)
        if top is None or not bottom or bottom < THRESHOLD:
            return None
        return top / bottom

    def ratio_display(self, key: Key) -> str:
        numerator, denominator = self.ratios[key]
        if numerator in self.hidden or denominator in self.hidden:
            return SECONDARY_MARK
        value = self.ratio(key)
        if value is None:
            return "–"
        return f"{round(value * 100)}%"


def suppress(table: Table) -> Table:
    """Apply primary and secondary suppression to ``table`` (in place) and return it."""
    countable = {key: value for key, value in table.values.items() if key not in table.ratios}
    table.hidden = suppressed_cells(countable, table.all_groups())
    table.suppressed = True
    return table


def suppress_value(value: int | None) -> str:
    """A single figure on its own (no row or column to derive it from)."""
    if value is None:
        return "–"
    return PRIMARY_MARK if is_small(value) else str(value)
