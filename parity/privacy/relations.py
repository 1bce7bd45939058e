"""The relations among a slab's cells (a cell is the sum of others), flattened for quick
passes: the secondary suppression by relations, and the cells around a withheld one worth
withholding with it (parity.privacy.linked)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from parity.privacy.slabs import ALL, TOTAL, Cells

SHOWN_FROM = 100
"""A cell of this many people or more is withheld only when nothing smaller will do."""
TRIES = 12
"""How many cells around a small cell that fails the audit are considered."""


class Relations:
    """The relations of a slab's cells, flattened for quick passes."""

    def __init__(self, table: Cells) -> None:
        self.table = table
        relation, member, parent = [], [], []
        for r, (p, children) in enumerate(table.relations):
            relation += [r] * (len(children) + 1)
            member += [p, *children.tolist()]
            parent += [True] + [False] * len(children)
        self.relation = np.array(relation, dtype=np.int64)
        self.member = np.array(member, dtype=np.int64)
        self.is_parent = np.array(parent, dtype=bool)
        people = table.people
        entity_all = np.array([e == ALL for _t, e, _v in table.keys], dtype=bool)
        # a cell holding all its entity's people (or all people) is that total under another
        # name: withholding it withholds the total, and everything that adds up to it
        totals = {e: people[i] for i, (t, e, _v) in enumerate(table.keys) if t == TOTAL}
        whole = np.array(
            [t != TOTAL and people[i] == totals.get(e, -1) for i, (t, e, _v) in
             enumerate(table.keys)],
            dtype=bool,
        )  # fmt: skip
        is_total = np.array([t == TOTAL for t, _e, _v in table.keys], dtype=bool)
        # preference, smallest first: not a total (under any name), fewer than SHOWN_FROM
        # people, one entity's, fewest people
        self.score = (
            (whole | is_total) * 4.0e12
            + (people >= SHOWN_FROM) * 2.0e12
            + entity_all * 1.0e12
            + people
        )
        self.same = [(p, int(c[0])) for p, c in table.relations if len(c) == 1]
        self.of_cell: list[list[int]] = [[] for _ in range(len(people))]
        self.children: list[set[int]] = [set() for _ in range(len(people))]
        for r, (p, children) in enumerate(table.relations):
            self.of_cell[p].append(r)
            self.children[p].update(children.tolist())
            for c in children.tolist():
                self.of_cell[c].append(r)

    def run(self, withheld: np.ndarray, small: np.ndarray) -> None:
        """Until no relation has a ``small`` cell withheld alone: withhold the best other child
        of each such relation (its parent when it has no other). Cells that are one group
        (a relation of one child: an entity's total and its only grade, say) are withheld
        together, whatever withheld one of them."""
        count = len(self.table.relations)
        while count:
            for parent, child in self.same:
                if withheld[parent] != withheld[child]:
                    withheld[parent] = withheld[child] = True
            off = withheld[self.member]
            alone = np.bincount(self.relation, weights=off, minlength=count) == 1
            small_alone = np.bincount(
                self.relation, weights=off & small[self.member], minlength=count
            )
            lonely = alone & (small_alone == 1)
            in_lonely = lonely[self.relation]
            candidates = np.flatnonzero(in_lonely & ~off & ~self.is_parent)
            picks: dict[int, int] = {}
            if len(candidates):
                order = np.lexsort((self.score[self.member[candidates]], self.relation[candidates]))
                ranked = candidates[order]
                first = np.r_[True, self.relation[ranked][1:] != self.relation[ranked][:-1]]
                for index in ranked[first].tolist():
                    picks[int(self.relation[index])] = int(self.member[index])
            for r in np.flatnonzero(lonely).tolist():
                if r not in picks:  # no published child: the parent goes (it equals the rest)
                    parent = self.table.relations[r][0]
                    if not withheld[parent]:
                        picks[r] = parent
            if not picks:
                return
            withheld[list(picks.values())] = True

    def partners(self, target: int, withheld: np.ndarray, tries: int = TRIES) -> Iterator[int]:
        """Published cells to withhold with ``target``, best first, at most ``tries``: the
        cells related to it and to the withheld cells related to it, those related to the most
        of these withheld cells first (they close the cycles along which a withheld cell can
        change without changing any published one), then one entity's cells of fewer than
        SHOWN_FROM people, then the smallest."""
        near = {target}
        for r in self.of_cell[target]:
            parent, children = self.table.relations[r]
            near.update(m for m in (parent, *children.tolist()) if withheld[m])
        links: dict[int, set[int]] = {}
        for cell in near:
            for r in self.of_cell[cell]:
                parent, children = self.table.relations[r]
                for member in (parent, *children.tolist()):
                    if not withheld[member]:
                        links.setdefault(member, set()).add(cell)
        if not links:  # everything around is withheld: the nearest published cells
            links = {c: set() for c in self._nearest(target, withheld)}
        ranked = sorted(links, key=lambda c: (-len(links[c]), self.score[c], c))
        yield from ranked[:tries]

    def group_of(self, cell: int) -> set[int]:
        """The cells that are one group with ``cell`` (linked by relations of one child)."""
        if not hasattr(self, "_same_of"):
            self._same_of: dict[int, set[int]] = {}
            for parent, child in self.same:
                self._same_of.setdefault(parent, set()).add(child)
                self._same_of.setdefault(child, set()).add(parent)
        found, todo = {cell}, [cell]
        while todo:
            for other in self._same_of.get(todo.pop(), ()):
                if other not in found:
                    found.add(other)
                    todo.append(other)
        return found

    def same_entity(self, target: int, withheld: np.ndarray) -> list[int]:
        """The published cells of the target's entity (of all, for a cell of all), best
        first."""
        entity = self.table.keys[target][1]
        found = [
            i for i, (_t, e, _v) in enumerate(self.table.keys) if e == entity and not withheld[i]
        ]
        return sorted(found, key=lambda c: (self.score[c], c))

    def _nearest(self, target: int, withheld: np.ndarray) -> list[int]:
        """The published cells nearest to ``target`` through withheld cells."""
        seen, ring = {target}, [target]
        while ring:
            found: list[int] = []
            following: list[int] = []
            for cell in ring:
                for r in self.of_cell[cell]:
                    parent, children = self.table.relations[r]
                    for member in (parent, *children.tolist()):
                        if member not in seen:
                            seen.add(member)
                            (following if withheld[member] else found).append(member)
            if found:
                return found
            ring = following
        return []
