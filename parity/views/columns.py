"""The catalogue of the views' table columns: each column declared once (its key in the rows, its
header marked ``N_`` for a Table to show in the request's language, its kind, its description),
then each view's table as a tuple of these entries.

A column shown under two headers ("Women's share", "Latest share") is two entries: a header is a
reader's words, and it stays the same wherever its entry stands.
"""

from __future__ import annotations

from dataclasses import replace

from parity.i18n import N_
from parity.views.base import Column

# -- a row's labels: the dimensions, as text ---------------------------------------------------
YEAR = Column("year", N_("Year"))
ENTITY = Column("entity", N_("Entity"))
GRADE = Column("grade", N_("Grade"))
CATEGORY = Column("category", N_("Category"))
DUTY_STATION = Column("duty_station", N_("Duty station"))
COUNTRY = Column("country", N_("Country"))
REGION = Column("region", N_("Region"))
LOCATION = Column("location", N_("HQ / field"))
AGE_BAND = Column("age_band", N_("Age band"))
CONTRACT_TYPE = Column("contract_type", N_("Contract type"))
PERSONNEL_TYPE = Column("personnel_type", N_("Personnel type"))
NATIONALITY = Column("nationality", N_("Nationality"))
NATIONALITY_REGION = Column("nationality_region", N_("Region of nationality"))
REGIONAL_GROUP = Column("regional_group", N_("UN regional group"))

# -- a group's parity figures (parity.metrics), with what they mean -----------------------------
WOMEN = Column("women", N_("Women"), "count", N_("Number of women"))
MEN = Column("men", N_("Men"), "count", N_("Number of men"))
OTHER = Column(
    "other", N_("Other or not recorded"), "count", N_("People with another or unknown gender")
)
TOTAL = Column("total", N_("Total"), "count", N_("Everyone: women + men + other"))
WOMEN_SHARE = Column("women_share", N_("Women's share"), "share", N_("Women / (women + men)"))
GAP_PP = Column("gap_pp", N_("Gap (pp)"), "pp", N_("50 − 100 × women's share, percentage points"))
PARITY_STATUS = Column(
    "parity_status", N_("Status"), "status",
    N_("At parity (47–53% women, or the closest split), women or men under-represented"),
)  # fmt: skip
WOMEN_NEEDED = Column(
    "women_needed", N_("Women needed (to zone)"), "count",
    N_("Positions moving from men to women, same headcount, to reach 47% women"),
)  # fmt: skip
MEN_NEEDED = Column(
    "men_needed", N_("Men needed (to zone)"), "count",
    N_("Positions moving from women to men, same headcount, to reach 47% men"),
)  # fmt: skip
TO_50_50 = N_("The same, to the closest split to 50/50")
WOMEN_TO_50_50 = Column("women_to_50_50", N_("Women to 50/50"), "count", TO_50_50)
MEN_TO_50_50 = Column("men_to_50_50", N_("Men to 50/50"), "count", TO_50_50)
NOTE = Column("note", N_("Note"), "text", N_("Why a row's figures are not shown"))

# -- trends, plans and targets -----------------------------------------------------------------
LATEST_SHARE = Column("women_share", N_("Latest share"), "share")
BASE_YEAR = Column("base_year", N_("Year"), "year")
ZONE_STATUS = Column("status_words", N_("Parity zone (47–53%)"), "words")
ANNUAL_CHANGE = Column("annual_change_pp", N_("Change a year (pp)"), "pp")
FIFTY_FIFTY = Column("fifty_fifty", N_("50/50 at the trend"), "words")
BASE_SHARE = Column("women_share", N_("Women {base}"), "share")
RECENT_HIRE_SHARE = Column("recent_hire_share", N_("Recent share of appointments"), "share")
HIRE_SHARE = Column("hire_share", N_("Scenario share"), "share")
REQUIRED_HIRE_SHARE = Column("required_hire_share", N_("Needed for 50/50 in {target}"), "share")
PLAN_STATUS = Column("status_words", N_("Hiring for 50/50"), "words")
REACHED = Column("reached_words", N_("50/50 reached (scenario)"), "words")
TARGET = Column("target_words", N_("Target"), "words")
TARGET_LATEST_SHARE = Column("latest_share", N_("Latest share"), "share")
TARGET_LATEST_YEAR = Column("latest_year", N_("Year"), "year")
PATH_SHARE = Column("path_share", N_("Path this year"), "share")
PROGRESS = Column("progress_words", N_("Status"), "words")

# -- flows, and the check of stocks against them -----------------------------------------------
APPOINTMENT_SHARE = Column("appointment_share", N_("Women among appointments"), "share")
PROMOTION_SHARE = Column("promotion_share", N_("Women among promotions"), "share")
SEPARATION_SHARE = Column("separation_share", N_("Women among separations"), "share")
PROMOTION_RATE_RATIO = Column("promotion_rate_ratio", N_("Promotion-rate ratio (W/M)"), "ratio")
ATTRITION_GAP = Column("attrition_gap_pp", N_("Attrition gap (pp)"), "pp")
CELL_YEAR = replace(YEAR, kind="year")  # a cell's year, among its figures
GENDER = Column("gender", N_("Gender"))
START = Column("start", N_("Start"), "count")
APPOINTED = Column("appointments", N_("Appointed"), "count")
PROMOTED_IN = Column("promotions_in", N_("Promoted in"), "count")
PROMOTED_OUT = Column("promotions_out", N_("Promoted out"), "count")
SEPARATED = Column("separations", N_("Separated"), "count")
EXPECTED = Column("expected", N_("Expected"), "count")
RECORDED = Column("recorded", N_("Recorded"), "count")
DIFFERENCE = Column("difference", N_("Difference"), "count")


def without_descriptions(*columns: Column) -> tuple[Column, ...]:
    """``columns`` with no description: only the Data page's table explains its figures under
    their headers."""
    return tuple(replace(column, description="") for column in columns)


# -- the tables --------------------------------------------------------------------------------
DIMENSION_COLUMNS = {
    column.key: column
    for column in (YEAR, ENTITY, GRADE, CATEGORY, DUTY_STATION, COUNTRY, REGION, LOCATION,
                   AGE_BAND, CONTRACT_TYPE, PERSONNEL_TYPE, NATIONALITY, NATIONALITY_REGION,
                   REGIONAL_GROUP)
}  # fmt: skip
"""The dimensions a Data table's rows may be grouped by, each as its label column."""
LABELS = {key: column.header for key, column in DIMENSION_COLUMNS.items()}
"""A dimension's name in a reader's words (in English: show it through ``_``)."""
DATA_COLUMNS = (WOMEN, MEN, OTHER, TOTAL, WOMEN_SHARE, GAP_PP, PARITY_STATUS, WOMEN_NEEDED,
                MEN_NEEDED, WOMEN_TO_50_50, MEN_TO_50_50)  # fmt: skip
"""Every figure of a group, as the Data page and its downloads show them (its labels first)."""
METRIC_COLUMNS = without_descriptions(
    WOMEN, MEN, TOTAL, WOMEN_SHARE, GAP_PP, PARITY_STATUS, WOMEN_NEEDED, MEN_NEEDED, WOMEN_TO_50_50
)
"""A group's figures in the tables by grade, entity and duty station (their labels first)."""
GRADE_COLUMNS = (GRADE, CATEGORY, *METRIC_COLUMNS)
ENTITY_COLUMNS = (ENTITY, *METRIC_COLUMNS)
STATION_COLUMNS = (DUTY_STATION, COUNTRY, LOCATION, *METRIC_COLUMNS)
NATIONALITY_COLUMNS = (NATIONALITY, REGIONAL_GROUP, *METRIC_COLUMNS)
GOAL_STATUS = Column("goal_words", N_("Against the 2028 goal"), "words")
PROJECTION_COLUMNS = (LATEST_SHARE, BASE_YEAR, ZONE_STATUS, ANNUAL_CHANGE, FIFTY_FIFTY, GOAL_STATUS)
"""A trend's table, after its group's column."""
PLAN_COLUMNS = (BASE_SHARE, RECENT_HIRE_SHARE, HIRE_SHARE, REQUIRED_HIRE_SHARE, PLAN_STATUS,
                REACHED)  # fmt: skip
"""A plan's table, after its group's column (headers with their {base} and {target} years)."""
TARGET_COLUMNS = (ENTITY, GRADE, TARGET, TARGET_LATEST_SHARE, TARGET_LATEST_YEAR, PATH_SHARE,
                  PROGRESS)  # fmt: skip
FLOW_COLUMNS = (CATEGORY, APPOINTMENT_SHARE, PROMOTION_SHARE, SEPARATION_SHARE,
                PROMOTION_RATE_RATIO, ATTRITION_GAP)  # fmt: skip
CONSISTENCY_COLUMNS = (CELL_YEAR, ENTITY, GRADE, GENDER, START, APPOINTED, PROMOTED_IN,
                       PROMOTED_OUT, SEPARATED, EXPECTED, RECORDED, DIFFERENCE)  # fmt: skip
"""Where recorded stocks and flows disagree: a cell, its stock and flows, and the difference."""
