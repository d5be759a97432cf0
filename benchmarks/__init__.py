"""Benchmarks of ascdemand at a county, a region and England: `ascdemand bench` runs them.

Each measured thing has its own module with a `measure(db, repeat, quick)` function returning
`Result`s; `worker` runs one of them in a fresh process so its peak memory is its own, and
`runner` builds the demo databases and gathers the results. `load_test` drives many app
sessions at once.
"""
