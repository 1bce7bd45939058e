"""The definition of every figure, its formula and its source: shown on the dashboard's
Definitions page and in the methods note of every briefing (one text, two places)."""

from __future__ import annotations

import re

from parity.i18n import N_

# (anchor, title, body in Markdown). Every help link in the app points at one of these anchors.
# Titles and bodies are catalogue messages (N_): show them through _() in the request's language.
ENTRIES: list[tuple[str, str, str]] = [
    (
        "women-share",
        N_("Women's share (representation)"),
        N_(
            """
**Women's share = women / (women + men)**, shown as a percentage.

People recorded with another or an unknown gender are counted in the *total* but not in the
share, because the published UN series are binary (a product decision). A group with no women
and no men has no share ("—").
"""
        ),
    ),
    (
        "parity-gap",
        N_("Parity gap"),
        N_(
            """
**Parity gap = 50 − 100 × women's share**, in percentage points (pp).

Positive: women are under-represented (a gap of +6.8 pp means 43.2% women). Negative: men are
under-represented.
"""
        ),
    ),
    (
        "parity-status",
        N_("Parity status and entities at parity"),
        N_(
            """
A group is **at parity** when women's share is within **50 ± 3 percentage points (47–53%,
inclusive)**, the UN practice, *or* when its split is the closest to 50/50 that its size allows:
women and men differ by at most one person (with 3 posts, 1 or 2 women; with 11 posts, 5 or 6
women). Otherwise the status is **women under-represented** (below 47%) or **men
under-represented** (above 53%).

*Entities at parity* counts the entities in the selection whose staff (all grades in the
selection) are at parity in the year, out of the entities with any women or men.
"""
        ),
    ),
    (
        "women-needed",
        N_("Women (or men) needed for parity"),
        N_(
            """
The **least number of positions that must pass from men to women** (or from women to men), at
constant headcount, for the group to be at parity: the *Gender Parity Index* of the UN
System-wide Dashboard on Gender Parity. With *w* women and *m* men (*n* = *w* + *m*), it is the
smallest *k* with 100 (*w* + *k*) ≥ 47 *n*, or with *m* − *w* − 2*k* ≤ 1. Zero for a group at
parity.

**To the parity zone and to 50/50.** "Needed for parity" counts to the edge of the parity zone
(47% women, or 47% men); "to 50/50" counts to the closest split to 50/50 the size allows, the
smallest *k* with |*m* − *w* − 2*k*| ≤ 1, which is what the projected year of 50/50 aims at. A
group inside the zone is "at parity — maintain" on every page, in every briefing and in the plan,
even when a few more people would bring it to 50/50 (a group of odd size is never exactly 50%).

Another reading, "women to add without removing anyone", is larger; parity uses the
constant-headcount reading everywhere.
"""
        ),
    ),
    (
        "glass-ceiling",
        N_("Glass-ceiling index"),
        N_(
            """
**Women's share across all grades ÷ women's share in the top grades (D-1 and above)**, the
index used by the European Commission's *She Figures*. 1 means no ceiling; above 1, women are
scarcer at the top than overall. It cannot be computed when no women hold a top grade.
"""
        ),
    ),
    (
        "pipeline",
        N_("The grade pipeline"),
        N_(
            """
Women and men at each grade, from the bottom of the ladder to the top: General Service, Field
Service, National Professional Officers, then P-1 up to USG. The ladder (order and staff
category of every grade) comes from the UN CEB grade code list (CEB-HLCM/HR-Public-Codes), not
from a hand-typed list.
"""
        ),
    ),
    (
        "projection",
        N_("Projected year of parity"),
        N_(
            """
The UN status-of-women reports' method (**average annual increment**): the change in women's
share, in percentage points per year, over a window of *W* years ending at the latest year
(default 10; the start is the earliest year with data in the window), extended in a straight
line from the latest share. The **projected year** is the first whole year in which the line
reaches 50%.

- **Reached**: the latest share is 50% or more.
- **Not at current trend**: the share is below 50% and flat or falling.
- **Not enough years of data**: only one year in the window.

The same method reproduces the Secretary-General's published table of projections for the UN
system (report A/69/346, 2003–2013) to within a year.
"""
        ),
    ),
    (
        "outlook",
        N_("The outlook and the 2028 goal"),
        N_(
            """
Two models answer "when is 50/50 reached", and the outlook states both:

- **The recent trend** (the projected year above): a straight line; it ignores how the share
  changes. A year after 2100 reads "after 2100".
- **The recent flows**: the grade ladder (see Planning) run with the recent rates of
  appointment, promotion and separation of women and men. It levels off where appointments
  replace leavers: one grade with appointments *a* women and separation rates *r_w*, *r_m*
  settles at *s = (a / r_w) / (a / r_w + (1 − a) / r_m)*. When the two disagree, one sentence
  says so and why.

**Against the goal** (parity at every level by 2028): *at parity — maintain* (inside 47–53%
now), *on track* (the recent trend enters the zone by 2028), *off track* (otherwise), or *no
trend yet* (one year of data). One status per group, the same on every page, in every briefing
and from `parity project`. **What it takes**: the share of appointments that must go to women
from next year to reach 50/50 by 2028, and the same in people (the appointments a year these
levels take); above 100%, out of reach by hiring alone.

The headline speaks of **Professional and higher** staff unless the selection names a scope or
grades (the setting PARITY_HEADLINE_SCOPE), as UN reports do.
"""
        ),
    ),
    (
        "ols-interval",
        N_("Least-squares projection and its 80% interval"),
        N_(
            """
The **least-squares** method fits a straight line through every year in the window. Its **80%
interval** on the year is an inverse prediction: the years whose 80% prediction interval for
the share contains 50%. With fewer than three years, or when the trend is too uncertain to
bound, no interval is given.
"""
        ),
    ),
    (
        "flows",
        N_("Flows: appointments, promotions, separations"),
        N_(
            """
Events recorded for year *t* happen between the snapshots of years *t* − 1 and *t*. A promotion
is recorded at the grade it leads into.

- **Women among appointments (promotions, separations)** = women's events / (women's + men's
  events).
- **Rate** of an event for a gender = events in year *t* / that gender's headcount at the
  snapshot of *t* − 1, a percentage a year (for a group of grades, promotions into its grades
  over its own headcount).
- **Promotion-rate ratio** = women's promotion rate / men's: 1 means equal chances.
- **Attrition gap** = women's separation rate − men's, in percentage points.

Stocks and flows agree when stock(*t*) = stock(*t* − 1) + appointments + promotions in −
promotions out − separations, for every grade and gender.
"""
        ),
    ),
    (
        "planning",
        N_("Planning model and required share of appointments"),
        N_(
            """
A **grade-ladder stock-flow model**. Each year, in every grade and for each gender, a share of
the people leave (the separation rate) and a share are promoted into the next grade up the same
track (P-1 … P-5, D-1, D-2, ASG, USG; NO-A … NO-E; FS-2 … FS-7; G-1 … G-7, in the order of the
CEB grade ladder). Rates are pooled over a window of recent years (events / headcount at the
start of each year). Appointments then refill each grade to its headcount path (constant, or
growing by the scenario's rate). The **share of women among appointments** is the lever: the
recent share, or the recent share changed by the scenario. *Turnover* scales separation and
promotion rates. People of another or unknown gender are left out of the model.

**Required share of appointments**: the least share of women among a group's appointments, from
the year after the latest snapshot on, with which the group's women's share reaches 50% at the
snapshot of the target year (other groups keep their scenario shares); found by bisection.
**Out of reach by hiring alone** when even 100% is not enough, because too few posts fall vacant
in time.

**Range of simulated futures**: 1,000 runs of the same model in which every flow is drawn at
random (binomial draws of separations, promotions and women among appointments); the band holds
80% of the runs (10th to 90th percentile), and the 80% interval of the year is read the same way.

Check: with one grade of constant size *N*, separation rate *r* for both genders and women's
share *s* of appointments, the model gives W(*t*) = *sN* + (W₀ − *sN*)(1 − *r*)^*t*.

**Targets**: uploaded targets (entity, grade, year, target share, margin) give a path through
the targets; without them the path is the System-wide Strategy on Gender Parity's: a straight
line from the group's 2017 share to 50% in 2028, give or take 3 points. *On target* means within
the margin of the path in the latest year.
"""
        ),
    ),
    (
        "hq-field",
        N_("HQ and field"),
        N_(
            """
**HQ** duty stations are the headquarters duty stations of the UN system (New York, Geneva,
Vienna, Nairobi and the seats of agencies, funds and programmes: Rome, Paris, Washington,
Copenhagen, Bonn, Montreal, The Hague, Madrid, London, Bern). Every other duty station is
**field**. Country, region and coordinates come from the CEB duty-station code list.
"""
        ),
    ),
    (
        "geography",
        N_("Nationality, region and UN regional group"),
        N_(
            """
A file's **nationality** column (any common spelling, English or French, or an ISO code) is
stored as the UN CEB country list names the country. From it, like HQ or field from a duty
station: the **region** of the nationality (UN M49, as the CEB list gives it) and the **UN
regional group** of the Member State (African, Asia-Pacific, Eastern European, Latin American
and Caribbean, Western European and Others; the United States counted with the last for
electoral purposes; countries in none: no group). Nationality is a dimension of counts, never a
column of a person. People whose nationality the files do not give are left out of the
Geography page's figures. In public mode nationality, its region and regional group are tables
of the protected publication for all entities together; an entity's nationals are few (a third
of its nationalities hold 1 to 4 people), so signed-in users of the entity see its figures.
"""
        ),
    ),
    (
        "min-cell",
        N_("Small groups (public mode)"),
        N_(
            """
In public mode, no group of at least one and **fewer than the minimum cell size** (default 5,
setting PARITY_MIN_CELL) can be seen, or worked out from everything the public view shows
together, so that no individual can be identified. A group of 0 people is empty, not small.

**One protected publication.** The public view is a fixed set of tables, for each year: the
total, each entity's total, and every table alone (all entities) and by entity — grade, staff
category, the scopes (Professional and higher, D-1 and above, P-5 and above, P-4 and above),
duty station, country, region, HQ/field, age band, contract type, personnel type, and for all
entities only nationality, its region and UN regional group — with women, men and other in each
cell; the same for appointments, promotions and separations (by entity: staff category,
scope and HQ/field). Every public figure of every page, download and briefing is
one of its cells or a sum of its shown cells. A selection it does not hold (a grade at one duty
station, say) is **not public**: signed-in users of the entity see it.

**Protected together.** Small cells are withheld, and enough other cells across all the linked
tables (they share their totals: an entity's grades add up to its total, every entity's P-4 to
the P-4 of all) that no withheld small group can be derived from everything published. This is
checked by an audit: for every withheld small group, the lowest and highest counts consistent
with all published cells (two linear programs over the tables' cells, their sums and
non-negativity) must span at least 0 to the minimum cell size, and its women, men and other must
each possibly be none; a cell that fails takes another with it until all pass. An estimate by
least squares from all published cells must not land on a small group's figures either, and a
cell holding exactly the people of a withheld one, or one a small group away from another shown
cell, is withheld too. Cells whose counts the published ones give anyway are shown again.
Withheld cells all read "not shown": which of them are small is not told. This is the
linked-table protection of statistics offices (tau-ARGUS, sdcTable), which protect a fixed
publication rather than every table on its own.

Counts of groups ("grades at parity", "entities at parity") count only the groups shown and
say how many were withheld. Charts leave withheld groups out (the map draws them grey, with no
figures), projections rest only on the years shown, and downloads leave withheld cells empty
with a note saying why. Data holders see exact figures: the command line, and public mode off;
focal points see their own entities exactly.
"""
        ),
    ),
    (
        "counting",
        N_("Counting rules and sources"),
        N_(
            """
Counts are the figures supplied in each imported batch. For each entity and year, the latest
batch replaces earlier ones. UN parity statistics usually count staff on appointments of one
year or more, at their personal grade; the System-wide Strategy on Gender Parity (2017) excludes
temporary appointments and uniformed personnel; CEB's system-wide statistics publish National
Professional Officers separately. Use the contract-type and personnel-type filters to apply
these rules.

Sources: UN System-wide Strategy on Gender Parity (2017); Secretary-General's reports on the
improvement in the status of women in the United Nations system; UN CEB HR statistics code lists.
"""
        ),
    ),
]


_BLANKS = re.compile(r"[ \t\r\n]+")


def _words(text: str) -> str:
    """``text`` on one line, each run of spaces and line breaks made one space. No-break spaces
    (French typography, before % and :) are kept: ``str.split()`` would break them."""
    return " ".join(_BLANKS.split(text.strip(" \t\r\n")))


def plain(markdown: str) -> str:
    """The Markdown of an entry (in any language: pass it through ``_`` first) as plain text
    (for PDF and slides)."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", markdown, flags=re.DOTALL)
    text = re.sub(r"\*(.+?)\*", r"\1", text, flags=re.DOTALL)
    text = re.sub(r"^- ", "• ", text, flags=re.MULTILINE)
    paragraphs = [
        _words(p)
        if not p.lstrip().startswith("•")
        else "\n".join(_words(line) for line in p.strip().splitlines())
        for p in text.strip().split("\n\n")
    ]
    return "\n\n".join(paragraphs)
