"""Synthetic demo data: UN-like, seeded, and clearly not any real entity's figures.

``python -m parity.demo --output FILE [--entities N] [--seed S] [--flows FILE]`` writes a
long-format CSV (gzipped when FILE ends in .gz) that follows the data contract. The bundled file
data/demo/parity-demo-staff.csv.gz is 40 entities; the benchmark scales the entity count up to
reach 1M or 10M rows.

The package's parts: ``world`` (the invented system: entities, duty stations, grades, trends and
rates), ``simulation`` (stocks and flows that agree, year by year: ``generate_with_flows`` and
``generate``) and ``__main__`` (the command line).
"""
