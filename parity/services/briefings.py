"""Making a briefing, and recording what leaves the dashboard as a file.

``parity brief`` and the dashboard's "Download briefing" both call ``make_briefing``: the same
view models (parity.briefing), written in the asked format, and an audit record of who made
which briefing. Downloads of tables and round workbooks are recorded by ``record_download``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from parity.auth import User
from parity.briefing import Briefing, build_briefing, write_briefing
from parity.filters import FilterState
from parity.privacy import PrivacyRule
from parity.reference import Reference
from parity.store import Store


def make_briefing(
    store: Store,
    actor: User,
    frame: pd.DataFrame,
    filters: FilterState,
    reference: Reference,
    *,
    rule: PrivacyRule,
    fmt: str,
    **options: Any,
) -> tuple[Briefing, bytes]:
    """The briefing of a view (``frame`` and ``filters`` under ``rule``; ``options`` as
    parity.briefing.build_briefing takes them) written as ``fmt`` (pdf, pptx or xlsx), and
    the audit record saying who made it, of which selection."""
    briefing = build_briefing(frame, filters, reference, rule=rule, **options)
    content = write_briefing(briefing, fmt)
    store.audit(actor.name, "briefing", f"{fmt}: {briefing.scope}, {briefing.year}")
    return briefing, content


def record_download(store: Store, actor: User, what: str) -> None:
    """The audit record of a file taken from the dashboard (a table, a round's workbook)."""
    store.audit(actor.name, "download", what)
