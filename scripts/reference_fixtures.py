"""Reference forecasts from statsmodels for the projection kernels' tests.

Writes crates/ontrack-kernels/tests/fixtures/projection_reference.json: for a few M1 yearly
series (train split), point forecasts and prediction intervals 1..6 years ahead from

- OLS and WLS (weights 0.9^(t_last - t), new observation weight 1) on the value and on its log
  (``get_prediction(...).summary_frame(alpha)``, ``obs_ci_*``), log intervals back-transformed;
- ``ETSModel(error="add", trend="add", damped_trend=True)`` (damped-trend Holt, initial states
  estimated, parameters by maximum likelihood = least squares for additive errors);
- ``ThetaModel(deseasonalize=False)`` (theta = 2, SES with initial level y_1).

Run once (the tests need no Python):

    python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install statsmodels numpy pandas
    /tmp/refvenv/bin/python scripts/reference_fixtures.py
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.forecasting.theta import ThetaModel

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "m1_yearly" / "m1_yearly.csv"
OUT = ROOT / "crates" / "ontrack-kernels" / "tests" / "fixtures" / "projection_reference.json"
SERIES = ["YAF2", "YAM10", "YAB3", "YAI4"]
H = 6
LEVELS = [0.8, 0.95]
LAMBDA = 0.9


def load() -> dict[str, tuple[list[float], list[float]]]:
    rows: dict[str, list[tuple[float, float]]] = defaultdict(list)
    with DATA.open(newline="") as f:
        for r in csv.DictReader(f):
            if r["split"] == "train":
                rows[r["series_id"]].append((float(r["year"]), float(r["value"])))
    out = {}
    for k, v in rows.items():
        v.sort()
        out[k] = ([p[0] for p in v], [p[1] for p in v])
    return out


def regression(years, y, weights, log):
    t = np.asarray(years)
    z = np.log(y) if log else np.asarray(y)
    x = sm.add_constant(t)
    model = sm.WLS(z, x, weights=weights) if weights is not None else sm.OLS(z, x)
    res = model.fit()
    future = t[-1] + np.arange(1, H + 1)
    xf = sm.add_constant(future, has_constant="add")
    out = {"point": None, "intervals": {}}
    for level in LEVELS:
        kw = {"weights": np.ones(H)} if weights is not None else {}
        sf = res.get_prediction(xf, **kw).summary_frame(alpha=1 - level)
        lo, hi, mean = sf["obs_ci_lower"].to_numpy(), sf["obs_ci_upper"].to_numpy(), sf["mean"].to_numpy()
        if log:
            lo, hi, mean = np.exp(lo), np.exp(hi), np.exp(mean)
        out["point"] = mean.tolist()
        out["intervals"][str(level)] = [lo.tolist(), hi.tolist()]
    return out


def damped(y):
    res = ETSModel(pd.Series(y), error="add", trend="add", damped_trend=True).fit(disp=False)
    pred = res.get_prediction(start=len(y), end=len(y) + H - 1)
    out = {
        "point": pred.predicted_mean.to_numpy().tolist(),
        "intervals": {},
        "params": {
            "alpha": float(res.smoothing_level),
            "beta": float(res.smoothing_trend),
            "phi": float(res.damping_trend),
        },
        "sse": float(np.sum(np.asarray(res.resid) ** 2)),
        "scale": float(res.scale),
    }
    for level in LEVELS:
        sf = pred.summary_frame(alpha=1 - level)
        out["intervals"][str(level)] = [sf["pi_lower"].to_numpy().tolist(), sf["pi_upper"].to_numpy().tolist()]
    return out


def theta(y):
    res = ThetaModel(np.asarray(y), deseasonalize=False).fit()
    return {
        "point": np.asarray(res.forecast(H)).tolist(),
        "params": {"alpha": float(res.params["alpha"]), "b0": float(res.params["b0"])},
    }


def main() -> None:
    data = load()
    fixtures = {"statsmodels": statsmodels.__version__, "horizon": H, "levels": LEVELS, "lambda": LAMBDA, "series": []}
    for sid in SERIES:
        years, y = data[sid]
        w = LAMBDA ** (years[-1] - np.asarray(years))
        fixtures["series"].append(
            {
                "id": sid,
                "years": years,
                "values": y,
                "linear": regression(years, y, None, False),
                "linear_weighted": regression(years, y, w, False),
                "log_linear": regression(years, y, None, True),
                "log_linear_weighted": regression(years, y, w, True),
                "damped_trend": damped(y),
                "theta": theta(y),
            }
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixtures, indent=1) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
