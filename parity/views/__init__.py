"""The view layer: for each page section and briefing section, one pure function
``(frame, FilterState, PrivacyRule, ...) -> view model``.

A view model holds the tables (as data), headline figures, sentences and chart data a reader
sees, with the small-cell rule (parity.privacy) already applied. Dash pages only turn view models
into components; briefings lay the same view models out in PDF, PPTX and XLSX and compute
nothing of their own. Nothing here imports Dash.
"""
