"""One dashboard request, resolved once: who asks, the filters, the rule of their scope, whether
they see their entities' drafts, and the frame those figures come from.

Every page, the Data grid, its downloads, the draft banner and the briefings are built from a
``PageRequest``, so that one user's one view gives the same figures everywhere (a focal point
who sees their entity's unpublished round figures on the pages sees them in the Data grid and
in the briefing of the same view too), and the user is looked up once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from parity import i18n
from parity.auth import User, rule_for
from parity.filters import FilterState
from parity.privacy import PrivacyRule
from parity.reference import Reference
from parity.store import StoreVersion

if TYPE_CHECKING:
    from parity.web.source import Context


@dataclass(frozen=True)
class PageRequest:
    user: User
    filters: FilterState
    rule: PrivacyRule  # exact within the user's scope, else the public publication's
    drafts: bool  # the selection's unpublished round figures in place of the published ones
    version: StoreVersion  # the state of the store ``frame`` was read for
    frame: pd.DataFrame
    reference: Reference
    language: str

    @classmethod
    def of(cls, context: Context, query: str | None) -> PageRequest:
        # a named scope reads as its grades from here on (the rows, the rule, the views)
        filters = FilterState.from_query(query or "").resolved(context.source.reference())
        user = context.user()
        drafts = context.drafts_for(filters)
        # the version is read with the frame: a version read after it could be a later
        # state's, and would name this frame's figures wrongly (a cached view, say)
        version, frame = context.source.snapshot("drafts" if drafts else "staff")
        return cls(
            user=user,
            filters=filters,
            rule=rule_for(user, filters.entity, context.rule),
            drafts=drafts,
            version=version,
            frame=frame,
            reference=context.source.reference(),
            language=i18n.language(),
        )
