"""Performance figures for backwalk, each printed with its target: `python -m benchmarks`.

Nothing here asserts: the figures depend on the machine, so they are reported, not tested.
See docs/benchmarks.md.
"""
