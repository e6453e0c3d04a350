"""Small cells are never shown: "<5" for 1 to 4 people, "x" for the second cell that would give it away."""
from __future__ import annotations

from portal.results.suppression import Table, suppress, suppressed_cells

T = "total"


def gender_table(female: int, male: int, other: int) -> Table:
    rows = ["female", "male", "other", T]
    values = {("female", "n"): female, ("male", "n"): male, ("other", "n"): other, (T, "n"): female + male + other}
    return suppress(Table(rows=rows, columns=["n"], values=values, column_total=T))


def test_one_to_four_people_show_less_than_five_and_zero_and_five_show():
    table = gender_table(female=5, male=0, other=12)
    assert [table.display(r, "n") for r in ("female", "male", "other", T)] == ["5", "0", "12", "17"]
    for small in (1, 2, 3, 4):
        assert gender_table(female=small, male=0, other=20).display("female", "n") == "<5"


def test_a_second_cell_is_hidden_when_the_first_could_be_derived_from_the_total():
    # Without a second suppression, 3 = 23 - 20 - 0 could be read off.
    table = gender_table(female=20, male=3, other=0)
    shown = [table.display(r, "n") for r in ("female", "male", "other", T)]
    assert shown == ["x", "<5", "0", "23"]  # the zero would not hide anything: the 20 is hidden
    values = {r: table.shown(r, "n") for r in ("female", "male", "other", T)}
    visible_parts = [v for r, v in values.items() if r != T and v is not None]
    assert len(visible_parts) == 1  # nothing left to subtract the hidden one from


def test_two_small_cells_protect_each_other():
    table = gender_table(female=2, male=3, other=30)
    assert [table.display(r, "n") for r in ("female", "male", "other", T)] == ["<5", "<5", "30", "35"]


def test_secondary_suppression_carries_over_to_the_crossing_row_and_column():
    # rows a, b, total; columns p, q, total. a/p = 2 is small; hiding a second cell in row a (a/q)
    # leaves column q with one hidden cell, so b/q must go too, then b/p ...
    rows, cols = ["a", "b", T], ["p", "q", T]
    v = {("a", "p"): 2, ("a", "q"): 10, ("b", "p"): 7, ("b", "q"): 9}
    for r in ("a", "b"):
        v[(r, T)] = v[(r, "p")] + v[(r, "q")]
    for c in ("p", "q", T):
        v[(T, c)] = sum(v[(r, c)] for r in ("a", "b"))
    table = suppress(Table(rows=rows, columns=cols, values=v, row_total=T, column_total=T))
    hidden = set(table.hidden)
    assert ("a", "p") in hidden and table.hidden[("a", "p")] == "primary"
    # every row and column of parts has either none or at least two hidden cells
    for r in ("a", "b"):
        assert len([c for c in ("p", "q") if (r, c) in hidden]) != 1
    for c in ("p", "q"):
        assert len([r for r in ("a", "b") if (r, c) in hidden]) != 1


def test_a_hidden_total_is_not_the_sum_of_visible_parts():
    hidden = suppressed_cells({"t": 4, "a": 4, "b": 0}, [("t", ["a", "b"])])
    assert hidden == {"t": "primary", "a": "primary"}


def test_a_ratio_of_hidden_counts_is_hidden():
    values = {("r", "n"): 3, ("r", "d"): 40}
    table = suppress(Table(rows=["r"], columns=["n", "d", "share"], values=values, ratios={("r", "share"): (("r", "n"), ("r", "d"))}))
    assert table.display("r", "share") == "x"
    assert table.display("r", "d") == "40"
