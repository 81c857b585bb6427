"""Demo and benchmark data and their commands (`seed_demo`, `bench_seed`, `bench`).

A dev-only app: it may import every other app, and no production module imports it
(`.importlinter` holds that; tests may). Inside it imports run one way: `demo` uses the
per-app `*_demo` modules, which use `people`.
"""
