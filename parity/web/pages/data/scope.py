"""What the user of a request may change from the Data page: the answer to a change asked by
someone who may not import or remove batches at all, and why they may not change the figures of
given entities (the check the import and the removal make, in parity.services.imports). Checked
on the server, whatever the page showed."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc

from parity.errors import ParityError
from parity.i18n import _
from parity.services.imports import check_may_change
from parity.web.source import Context


def forbidden() -> Any:
    """The answer to a change asked by a user who may not make it (checked on the server,
    whatever the page showed)."""
    return dbc.Alert(
        _("Only data stewards and administrators import and remove batches."), color="danger"
    )


def out_of_scope(context: Context, entities: Any) -> str:
    """Why the user may not change figures of these entities ('' when they may): the same
    check the import and the removal make (parity.services.imports)."""
    try:
        check_may_change(context.user(), map(str, entities))
    except ParityError as refused:
        return str(refused)
    return ""
