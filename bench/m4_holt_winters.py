"""statsmodels Holt-Winters on every M4 Hourly series, for bench/m4.ts.

Usage: python3 bench/m4_holt_winters.py PATH/M4_Hourly-train.csv

Fits ExponentialSmoothing per series and forecasts 48 steps; writes one JSON object to stdout:
config, ids, forecasts (one list of 48 per series, in file order), seconds (fitting and
forecasting all series, timed here: no interpreter start, imports or file reading),
importSeconds, failed (ids forecast by seasonal naive because statsmodels raised or returned
non-finite values) and convergenceWarnings (how many fits warned; warnings are kept quiet).

Configuration: additive seasonality, seasonal_periods=24, no trend, default initialization
('estimated') and default fit(). Of those tried with Debian's statsmodels 0.13.5 it is the one
matching the issue's "MASE 1.27 in about 7 s" (MASE 1.263, sMAPE 15.61, 7.3-7.5 s on 2 cores); an
additive trend (damped or not) gives MASE 2.5-3.8 in ~50 s, multiplicative seasonality 1.47 in
~11 s, Box-Cox 1.29 in ~10 s.
"""

import csv
import json
import sys
import time
import warnings

_import_started = time.perf_counter()
import numpy as np  # noqa: E402
from statsmodels.tools.sm_exceptions import ConvergenceWarning  # noqa: E402
from statsmodels.tsa.holtwinters import ExponentialSmoothing  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - _import_started

H = 48
M = 24
CONFIG = "statsmodels ExponentialSmoothing(trend=None, seasonal='add', seasonal_periods=24).fit()"


def read_wide(path):
    """Rows of a wide M4 file: (id, values), ragged rows padded with empty strings."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        next(rows)  # header V1, V2, ...
        out = []
        for row in rows:
            if not row:
                continue
            values = []
            for cell in row[1:]:
                if cell == "":
                    break
                values.append(float(cell))
            out.append((row[0], np.asarray(values, dtype=float)))
        return out


def seasonal_naive(y):
    """The last 24 values repeated (the last value if there are fewer)."""
    if len(y) < M:
        return [float(y[-1]) if len(y) else 0.0] * H
    return [float(y[-M + (i % M)]) for i in range(H)]


def main():
    series = read_wide(sys.argv[1])
    np.seterr(all="ignore")
    forecasts, failed = [], []
    convergence_warnings = 0
    started = time.perf_counter()
    for sid, y in series:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                fit = ExponentialSmoothing(y, trend=None, seasonal="add", seasonal_periods=M).fit()
                f = np.asarray(fit.forecast(H), dtype=float)
            if any(issubclass(w.category, ConvergenceWarning) for w in caught):
                convergence_warnings += 1
            if f.shape != (H,) or not np.all(np.isfinite(f)):
                raise ValueError("non-finite forecast")
            forecasts.append(f.tolist())
        except Exception:  # never crash on one series: seasonal naive instead
            failed.append(sid)
            forecasts.append(seasonal_naive(y))
    seconds = time.perf_counter() - started
    json.dump(
        {
            "config": CONFIG,
            "ids": [sid for sid, _ in series],
            "seconds": seconds,
            "importSeconds": IMPORT_SECONDS,
            "failed": failed,
            "convergenceWarnings": convergence_warnings,
            "forecasts": forecasts,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
