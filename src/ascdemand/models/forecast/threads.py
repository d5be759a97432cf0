"""Single-threaded BLAS around statsmodels fits.

A state-space fit makes thousands of tiny LAPACK calls; threaded OpenBLAS turns each into a
thread hand-off, which made fits 20 times slower on a busy two-core machine. The controller
is built once (finding the loaded BLAS libraries takes milliseconds); each limit is cheap.
"""

from __future__ import annotations

import functools
from contextlib import AbstractContextManager

from threadpoolctl import ThreadpoolController


@functools.cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


def single_threaded_blas() -> AbstractContextManager[object]:
    """A context manager that limits BLAS to one thread inside it."""
    return _controller().limit(limits=1, user_api="blas")
