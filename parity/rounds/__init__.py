"""A reporting round: each entity submits its staffing file, which is compared with the entity's
previous published figures; what looks like a mistake is flagged for the steward to confirm or
replace.

The package's parts: ``rules`` (what a flag is, the rules and their thresholds), ``comparison``
(an entity's submission beside its published history), ``checks`` (one check per kind of flag),
``flags`` (a submission's flags, per entity and rule, and submitting a file to a round with
them) and ``board`` (a round's status board and its consolidated workbook).
"""
