"""Planning: what must change to reach 50/50 by the target year, under a scenario.

A scenario (target year, rate window, turnover, headcount growth, and for each staff category a
change in the share of women among appointments) drives the engine's grade-ladder model
(parity.planning). A group inside the parity zone is "at parity — maintain", as on every page;
the share of appointments it needs for 50/50 is still given, labelled. Groups withheld by the
privacy rule in the base year are left out of the charts and the tables.

The package's parts: ``scenario`` (the scenario's inputs, in the URL and the controls, and its
outcome on the ladder), ``view`` (the page's view model, ``planning``: the ladder, the privacy
checks, the charts' data), ``tables`` (the shares of appointments needed, the progress against
uploaded targets) and ``sentences`` (the plan and the reasons no plan is shown, in words).
"""
