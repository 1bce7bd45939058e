"""The Dash dashboard. Pages call the engine; they never compute."""
