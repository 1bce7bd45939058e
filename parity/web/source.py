"""The data a dashboard process serves: one Store, and the analysis frame read from it.

The frame is reloaded only when the store changes (a batch imported or removed), so a callback
costs one tiny version query plus the computation. Each server worker holds its own copy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd

from parity import framecache
from parity.auth import PUBLIC, User
from parity.filters import FilterState
from parity.ingest.contract import DIMENSIONS
from parity.privacy import PrivacyRule
from parity.privacy.publication import Publication
from parity.reference import Reference
from parity.settings import Settings
from parity.store import BatchInfo, Store, StoreVersion
from parity.web.cache import ViewCache

if TYPE_CHECKING:
    from parity.web.request import PageRequest

T = TypeVar("T")


@dataclass(frozen=True)
class FilterOptions:
    """The values each filter can take: only values with data in the store."""

    years: list[int]
    values: dict[str, list[str]]


@dataclass(frozen=True)
class Context:
    """What pages need: the data, the settings, whether uploads are offered without sign-in,
    and whether signing in is required."""

    source: DataSource
    settings: Settings
    uploads: bool
    sign_in: bool = False
    cache: ViewCache | None = None

    @property
    def min_cell(self) -> int:
        return self.settings.effective_min_cell

    @property
    def rule(self) -> PrivacyRule:
        """The public rule: the small-cell rule in force for readers out of scope, with the
        protected publication every public figure is read from."""
        min_cell = self.settings.effective_min_cell
        if min_cell <= 1:
            return PrivacyRule(min_cell)
        return PrivacyRule(min_cell, publication=self.source.publication(min_cell))

    def user(self) -> User:
        """The user of the current request (see parity.web.sessions.current_user)."""
        from parity.web.sessions import current_user

        found = current_user(
            self.source.store,
            self.sign_in,
            self.settings.public_access,
            self.settings.session_policy,
        )
        return found or PUBLIC

    @property
    def may_change(self) -> bool:
        """Whether the current user may import and remove batches."""
        return self.user().can_import if self.sign_in else self.uploads

    def prepare_public_view(self) -> None:
        """After a change of the store (an upload, a removal, a publication): protect the
        public publication of its new state now, so that no reader's request waits for it."""
        min_cell = self.settings.effective_min_cell
        if min_cell > 1:
            self.source.publication(min_cell)

    def drafts_for(self, filters: FilterState) -> bool:
        """Whether the request sees its entities' unpublished round figures: only focal
        points, stewards and admins, only for a selection of entities in their scope that
        has drafts ("Draft — not published" says so on the page)."""
        if not self.sign_in or not filters.entity:
            return False
        user = self.user()
        if not user.covers(filters.entity):
            return False
        return bool(set(filters.entity) & self.source.draft_entities())

    def request(self, query: str | None) -> PageRequest:
        """The request of the filters in ``query``, resolved once (parity.web.request)."""
        from parity.web.request import PageRequest

        return PageRequest.of(self, query)

    def view(self, build: Callable[..., T], query: str | None, **options: Any) -> T:
        """A page's view model (``build`` from parity.views) for the filters in ``query``,
        under the rule of the user's scope."""
        request = self.request(query)
        if self.cache is None:
            return build(request.frame, request.filters, request.rule, request.reference, **options)
        key = ViewCache.key(
            self.source.store.display_url,  # two stores may share a Redis and a version
            request.version,
            build.__module__,
            build.__qualname__,
            request.filters.to_query(),
            sorted(options.items()),
            request.rule.min_cell,
            request.drafts,
            request.language,  # a view holds sentences and labels in its language
        )
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        view = build(request.frame, request.filters, request.rule, request.reference, **options)
        self.cache.put(key, view)
        return view


class DataSource:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._publishing = threading.Lock()  # one publication made at a time
        self._frames: dict[str, pd.DataFrame] = {}
        self._version: StoreVersion | None = None
        self._options: FilterOptions | None = None
        self._publications: dict[int, Publication] = {}
        self._light = False
        self._loading: threading.Thread | None = None
        self._starting = threading.Lock()  # one preload thread at a time

    def _cached(self, name: str) -> pd.DataFrame:
        return self.snapshot(name)[1]

    def snapshot(self, name: str) -> tuple[StoreVersion, pd.DataFrame]:
        """A frame (staff, drafts or flows) and the version of the store it was read for:
        read from the store, read again when the store's version changes; read from its file
        on disk when an earlier process (or ``parity import``) wrote one for this version
        (parity.framecache). The version is read first, so the frame holds that state or a
        later one, never an earlier one."""
        version = self.store.version()
        with self._lock:
            if version != self._version:
                self._frames = {}
                self._options = None
                self._publications = {}
                self._version = version
            if name not in self._frames:
                self._frames[name] = framecache.frame(self.store, name, version)
            return version, self._frames[name]

    def publication(self, min_cell: int) -> Publication:
        """The public publication for ``min_cell`` of the store's current state: read from its
        file (``parity import`` writes it), else made once and kept (parity.framecache)."""
        version, _frame = self.snapshot("staff")
        with self._publishing:
            with self._lock:
                if version == self._version and min_cell in self._publications:
                    return self._publications[min_cell]
            made = framecache.publication(self.store, version, min_cell)
            with self._lock:
                if version == self._version:
                    self._publications[min_cell] = made
            return made

    def preload(self, min_cell: int | None = None) -> None:
        """Read the frames the first pages need (a server does it as it starts, in a thread,
        while it already answers)."""
        self.frame()
        self.flows()
        self.options()
        if min_cell is not None and min_cell > 1:
            self.publication(min_cell)

    def ready_for(self, version: StoreVersion) -> bool:
        """Whether the frames of the store's ``version`` are read (a health check's question).
        Without the lock, which a thread reading the frames holds: the check answers at once."""
        return self._version == version and "staff" in self._frames

    def load_in_background(self, min_cell: int | None = None) -> None:
        """``preload`` in a thread, unless one is already at work (or the data is not to be
        read yet: ``without_data``)."""
        with self._starting:
            if self._light or (self._loading is not None and self._loading.is_alive()):
                return
            self._loading = threading.Thread(
                target=self.preload, args=(min_cell,), name="parity-preload", daemon=True
            )
            self._loading.start()

    @contextmanager
    def without_data(self) -> Iterator[None]:
        """While it lasts, the filters offer nothing and no frame is read: Dash checks the
        page shell once before serving, and that check need not wait for the data."""
        self._light = True
        try:
            yield
        finally:
            self._light = False

    def frame(self, drafts: bool = False) -> pd.DataFrame:
        """The analysis frame of staffing counts: the published figures, or with ``drafts``
        those submitted to rounds not yet published in their place."""
        return self._cached("drafts" if drafts else "staff")

    def draft_entities(self) -> set[str]:
        """Entities with figures submitted to a round not yet published."""
        return self.store.draft_entities()

    def flows(self) -> pd.DataFrame:
        """The flows frame (appointments, promotions, separations)."""
        return self._cached("flows")

    def targets(self) -> pd.DataFrame:
        return self.store.read_targets()

    def reference(self) -> Reference:
        return self.store.reference()

    def batches(self) -> list[BatchInfo]:
        return self.store.batches()

    def is_demo(self) -> bool:
        """True when any batch in the store is the bundled synthetic demo data."""
        return self.store.holds_demo_data()

    def options(self) -> FilterOptions:
        """The values each filter offers, computed once per state of the store."""
        if self._light:
            return FilterOptions(years=[], values={d: [] for d in DIMENSIONS})
        frame = self.frame()
        with self._lock:
            if self._options is not None:
                return self._options
        people = frame["headcount"].to_numpy() > 0
        years = sorted({int(y) for y in pd.unique(frame["year"].to_numpy()[people])})
        values: dict[str, list[str]] = {}
        for dimension in DIMENSIONS:
            categories = frame[dimension].cat.categories
            codes = frame[dimension].cat.codes.to_numpy()[people].astype("int64")
            seen = np.bincount(codes + 1, minlength=len(categories) + 1)[1:] > 0
            values[dimension] = [str(c) for c, used in zip(categories, seen, strict=True) if used]
        options = FilterOptions(years=years, values=values)
        current = self.frame()
        with self._lock:
            if current is frame:  # the store did not change meanwhile
                self._options = options
        return options
