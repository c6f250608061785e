"""Time USITC gegravity 0.3 OneSectorGE on its sample (CAN-JPN agreement), as in
../shared/data/gegravity-sample/reference/README.md: baseline build plus simulation.

Usage: python benches/ge_gegravity.py [RUNS]   (needs `pip install gegravity==0.3`)
Prints the median wall time of RUNS runs and CAN's GDP change (to show it is the same run).
"""
import statistics
import sys
import time
from pathlib import Path

import pandas as pd
import gegravity as ge

runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
root = Path(__file__).resolve().parent.parent.parent / "shared/data/gegravity-sample"
data = pd.read_csv(root / "sample_data_set.csv")
coef = pd.read_csv(root / "reference/cost_coefficients.csv").set_index("var")

times = []
for _ in range(runs):
    t = time.perf_counter()
    d = data.copy()
    d["constant"] = 1
    base = ge.BaselineData(d, imp_var_name="importer", exp_var_name="exporter", year_var_name="year",
                           trade_var_name="trade", expend_var_name="E", output_var_name="Y")
    costs = ge.CostCoeffs(coef.reset_index(), identifier_col="var", coeff_col="beta", stderr_col="stderr")
    model = ge.OneSectorGE(base, year="2006", expend_var_name="E", output_var_name="Y",
                           reference_importer="DEU", sigma=5, cost_variables=[
                               "lndist", "contiguity", "common_language", "pta", "international", "constant"],
                           cost_coeff_values=costs)
    model.build_baseline(omr_rescale=1)
    exp = model.baseline_data.copy()
    exp.loc[(exp["importer"] == "CAN") & (exp["exporter"] == "JPN"), "pta"] = 1
    exp.loc[(exp["importer"] == "JPN") & (exp["exporter"] == "CAN"), "pta"] = 1
    model.define_experiment(exp)
    model.simulate()
    times.append(time.perf_counter() - t)
res = model.country_results
print(f"gegravity 0.3 OneSectorGE, CAN-JPN: median {statistics.median(times) * 1e3:.1f} ms of {runs} runs; "
      f"CAN GDP change {res.loc['CAN', 'GDP change (percent)']:.6f}%")
