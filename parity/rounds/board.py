"""A round's status board and its consolidated workbook: for each participating entity, whether
it has submitted (not started, submitted, flagged, confirmed, late), when, by whom, the batch and
its flags; and, for administrators, the exact figures of every entity's latest year beside that
board in one workbook.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from parity.i18n import N_, _
from parity.rounds.flags import flag_text
from parity.store import Store


def round_board(store: Store, round_id: int, today: date | None = None) -> pd.DataFrame:
    """Each participating entity of a round: not started, submitted, flagged, confirmed or
    late (nothing submitted after the due date), with when, by whom, the batch and its flags."""
    info = store.round(round_id)
    latest = {s["entity"]: s for s in store.submissions(round_id)}
    late = (today or date.today()) > info["due"]
    rows = []
    for entity in info["entities"]:
        s = latest.get(entity)
        rows.append(
            {
                "entity": entity,
                "status": s["status"] if s else ("late" if late else "not started"),
                "submitted": f"{s['submitted_at']:%Y-%m-%d}" if s else "",
                "by": s["submitted_by"] if s else "",
                "batch": s["batch_id"] if s else None,
                "flags": len(s["flags"]) if s else 0,
                # one flag a line, in the reader's language
                "to check": "\n".join(map(flag_text, s["flags"])) if s else "",
            }
        )
    columns = ["entity", "status", "submitted", "by", "batch", "flags", "to check"]
    board = pd.DataFrame(rows, columns=columns)
    board["batch"] = board["batch"].astype("Int64")  # a batch number, not 5.00
    return board


def round_workbook(store: Store, round_id: int) -> bytes:
    """The consolidated workbook of a round, exact figures (for administrators): every
    participating entity's latest year as submitted, one sheet a breakdown, and the status and
    flagged changes of each entity against its previous published figures."""
    from parity.export import tables_to_xlsx
    from parity.frame import load_frame
    from parity.metrics import parity_table

    info = store.round(round_id)
    frame = load_frame(store, info["entities"], drafts=True)
    if frame.empty:
        latest = np.zeros(0, dtype=bool)
    else:
        last = frame.groupby("entity", observed=True)["year"].transform("max")
        latest = (frame["year"] == last).to_numpy()
    sheets = {
        _(label): parity_table(frame, dims, latest)
        for label, dims in (
            (N_("By entity"), ["entity"]),
            (N_("By grade"), ["entity", "grade"]),
            (N_("By duty station"), ["entity", "duty_station"]),
            (N_("By staff category"), ["entity", "category"]),
        )
    }
    board = round_board(store, round_id)
    published = info["published_at"]
    about = pd.DataFrame(
        [
            (_("Round"), f"{round_id}: {info['name']}"),
            (_("Figures as of"), f"{info['as_of']}"),
            (_("Due"), f"{info['due']}"),
            (
                _("Published"),
                f"{published:%Y-%m-%d %H:%M} UTC" if published else _("no (drafts)"),
            ),
            (
                _("Figures"),
                _("Each entity's latest year as submitted; exact counts (admins only)"),
            ),
        ],
        columns=[_("Item"), _("Value")],
    )
    return tables_to_xlsx({**sheets, _("Status and changes"): board, _("About"): about})
