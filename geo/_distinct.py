"""Work done once per distinct value, not once per row.

Record tables repeat themselves: a million incidents hold a few thousand
dates, a few dozen event types, one dataset name. Factorising a column
(Arrow's hashing of text) and working on its distinct values is cheaper
than any second pass of string work over every row.
"""

import numpy as np
import pandas as pd


def by_distinct(values, work):
    """``work`` applied to the distinct values of `values`, spread back to its rows.

    Parameters
    ----------
    values : pandas.Series of str
    work : callable
        Given the distinct values (a Series of str, positional index),
        returns one result per value (a Series or array of the same length).

    Returns
    -------
    pandas.Series
        One result per row of `values`, with its index.
    """
    codes, distinct = pd.factorize(values)
    results = np.asarray(work(pd.Series(distinct, dtype=str)))
    return pd.Series(results[codes] if len(codes) else results[:0], index=values.index)


def distinct_rows(columns):
    """The distinct combinations of values of `columns` (aligned Series).

    Each column is factorised on its own and the integer codes combined, so
    no joined key text is made per row.

    Returns
    -------
    tuple of (numpy.ndarray, numpy.ndarray)
        Each row's combination number, and the position of the first row
        of each combination.
    """
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes, distinct = pd.factorize(column)
        combined = combined * (len(distinct) + 1) + codes
        # Keep the numbers small: renumber after each column (no overflow however many columns).
        combined, _ = pd.factorize(combined)
    # factorize numbers values in order of first appearance: a row is the
    # first of its combination where the running maximum of the numbers grows.
    first = np.flatnonzero(np.diff(np.maximum.accumulate(combined), prepend=-1) > 0)
    return combined, first
