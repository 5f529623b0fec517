#!/usr/bin/env bash
# Speed and agreement check against the SimPy peer model (not part of CI).
#
# Runs the peer (../shared/peers/simpy_imf.py, default options: 200,000 items/day) and imfsim on
# the same facility (scenarios/bench/simpy_peer.toml) for the same days and replications, both
# on one core (`taskset -c 0` when available; imfsim with `-t 1`), then prints both wall times,
# their ratio, and the main outputs side by side as mean ± 95 % CI half-width over replications.
# The two use different random numbers, so they agree when the intervals overlap.
#
# Usage:  benches/peer.sh [DAYS] [REPS]          (defaults: 2 days, 5 replications)
#
# Environment:
#   PEER_MODEL   path of simpy_imf.py (default: ../shared/peers/simpy_imf.py next to the repo,
#                then /work/shared/peers/simpy_imf.py)
#   PEER_PYTHON  a Python that has simpy, numpy and scipy. If unset, the script uses (and on first
#                use creates, with `python3 -m venv` + `pip install simpy numpy scipy`) the virtual
#                environment PEER_VENV (default: target/peer-venv inside the repo, git-ignored).
#   PEER_OUT     folder for both runs' outputs (default: target/peer-bench)
#
# Times: "peer, env.run only" is the peer's own timer around env.run (it excludes Python start-up,
# imports and reporting); "imfsim, whole process" is the whole imfsim command (start-up, scenario
# parsing, all replications, writing JSON/CSV/charts). The speed ratio divides the first by the
# second, so it favours the peer. Both wall and CPU (user + system) times are shown: on a shared
# machine the wall ratio is noisy, the CPU ratio much less so.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DAYS=${1:-2}
REPS=${2:-5}
OUT=${PEER_OUT:-$ROOT/target/peer-bench}
mkdir -p "$OUT"

if [[ -n "${PEER_MODEL:-}" ]]; then
  MODEL=$PEER_MODEL
elif [[ -f "$ROOT/../shared/peers/simpy_imf.py" ]]; then
  MODEL=$ROOT/../shared/peers/simpy_imf.py
else
  MODEL=/work/shared/peers/simpy_imf.py
fi
[[ -f "$MODEL" ]] || { echo "peer model not found: set PEER_MODEL" >&2; exit 2; }

if [[ -n "${PEER_PYTHON:-}" ]]; then
  PY=$PEER_PYTHON
else
  VENV=${PEER_VENV:-$ROOT/target/peer-venv}
  if [[ ! -x "$VENV/bin/python" ]]; then
    echo "creating $VENV (simpy, numpy, scipy) ..." >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet simpy numpy scipy
  fi
  PY=$VENV/bin/python
fi
"$PY" -c "import simpy, numpy, scipy" || { echo "$PY lacks simpy/numpy/scipy" >&2; exit 2; }

PIN=()
if command -v taskset >/dev/null && taskset -c 0 true 2>/dev/null; then PIN=(taskset -c 0); fi

echo "building imfsim (release) ..." >&2
(cd "$ROOT" && cargo build --release --quiet)
BIN=$ROOT/target/release/imfsim

# Runs a command, writing "wall user sys" [s] to file $1 (CPU times via /usr/bin/time if present).
timed() {
  local f=$1; shift
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f "%e %U %S" -o "$f" "$@"
  else
    local s; s=$(date +%s.%N); "$@"; awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN { print e - s, "nan", "nan" }' >"$f"
  fi
}

echo "peer:   $DAYS day(s) x $REPS replication(s) on ${PIN[*]:-any core} ..." >&2
timed "$OUT/peer.time" "${PIN[@]}" "$PY" "$MODEL" --days "$DAYS" --reps "$REPS" --json "$OUT/peer.json" >"$OUT/peer.txt"
echo "imfsim: $DAYS day(s) x $REPS replication(s) on ${PIN[*]:-any core}, -t 1 ..." >&2
timed "$OUT/imfsim.time" "${PIN[@]}" "$BIN" run "$ROOT/scenarios/bench/simpy_peer.toml" -d "$DAYS" -r "$REPS" -t 1 \
  --out "$OUT/imfsim" --force >"$OUT/imfsim.txt" 2>"$OUT/imfsim.stderr"

"$PY" - "$OUT" "$DAYS" <<'EOF'
import csv, json, math, sys
import numpy as np
from scipy import stats

out, days = sys.argv[1], int(sys.argv[2])
peer_wall, peer_user, peer_sys = map(float, open(f"{out}/peer.time").read().split()[-3:])
imf_wall, imf_user, imf_sys = map(float, open(f"{out}/imfsim.time").read().split()[-3:])
peer = json.load(open(f"{out}/peer.json"))
runs = peer["runs"]
rows = list(csv.DictReader(open(f"{out}/imfsim/replications.csv")))

def ci(xs):
    x = np.asarray([v for v in xs if v == v], dtype=float)
    if len(x) == 0:
        return float("nan"), float("nan")
    if len(x) < 2:
        return float(x.mean()), float("nan")
    return float(x.mean()), float(stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x)))

def imf(key, scale=1.0):
    return [float(r[key]) * scale if r[key] not in ("", "NaN", "nan") else float("nan") for r in rows]

st = lambda name, k, scale=1.0: [r["stations"][name][k] * scale for r in runs]
lab = lambda k: [r["lab"][k] for r in runs]
H = 3600.0
table = [
    ("items arrived per day",       [r["items_arrived"] / days for r in runs], imf("items_arrived", 1 / days)),
    ("portal utilisation",          st("portal", "utilisation"), imf("resource.portal_lanes.utilisation")),
    ("portal mean wait [s]",        st("portal", "wait_mean_s"), imf("stage.portal.mean_wait_h", H)),
    ("x-ray arrivals per day",      st("xray", "arrivals", 1 / days), imf("stage.xray.arrivals_per_day")),
    ("x-ray utilisation",           st("xray", "utilisation"), imf("resource.xray_machines.utilisation")),
    ("x-ray mean wait [s]",         st("xray", "wait_mean_s"), imf("stage.xray.mean_wait_h", H)),
    ("open arrivals per day",       st("open", "arrivals", 1 / days), imf("stage.exam.arrivals_per_day")),
    ("open utilisation",            st("open", "utilisation"), imf("resource.officers.utilisation")),
    ("open mean wait [s]",          st("open", "wait_mean_s"), imf("stage.exam.mean_wait_h", H)),
    ("chem arrivals per day",       st("chem", "arrivals", 1 / days), imf("stage.chem.arrivals_per_day")),
    ("chem utilisation",            st("chem", "utilisation"), imf("resource.chem_devices.utilisation")),
    ("chem mean wait [s]",          st("chem", "wait_mean_s"), imf("stage.chem.mean_wait_h", H)),
    ("lab received (run)",          lab("received"), imf("stage.lab.arrivals_per_day", days)),
    ("lab started (run)",           lab("started"), imf("stage.lab.started_per_day", days)),
    ("lab backlog at end",          [r["lab"]["backlog_end_of_day"][-1] for r in runs], imf("stage.lab.backlog_at_end")),
]

def fmt(m, h):
    if m != m:
        return "nan"
    s = f"{m:,.4g}" if abs(m) < 1e4 else f"{m:,.0f}"
    return s + ("" if h != h else f" ± {h:,.3g}")

print(f"\nworkload: {peer['args']['items_per_day']:,.0f} items/day, {days} day(s) x {len(runs)} replication(s), one core")
print(f"{'output':30s}{'SimPy peer':>24s}{'imfsim':>24s}  overlap")
bad = 0
for name, p, i in table:
    (pm, ph), (im, ih) = ci(p), ci(i)
    ok = "yes" if (ph != ph or ih != ih or abs(pm - im) <= ph + ih) else "NO"
    bad += ok == "NO"
    print(f"{name:30s}{fmt(pm, ph):>24s}{fmt(im, ih):>24s}  {ok}")

peer_run = sum(r["perf"]["wall_s"] for r in runs)
peer_run_cpu = sum(r["perf"]["cpu_s"] for r in runs)
print(f"\n{'time [s]':38s}{'wall':>10s}{'cpu':>10s}")
print(f"{'peer, env.run only (its own timer)':38s}{peer_run:10.3f}{peer_run_cpu:10.3f}")
print(f"{'peer, whole process':38s}{peer_wall:10.3f}{peer_user + peer_sys:10.3f}")
print(f"{'imfsim, whole process':38s}{imf_wall:10.3f}{imf_user + imf_sys:10.3f}")
print(f"speed ratio, peer env.run / imfsim process:  wall {peer_run / imf_wall:6.1f}x   cpu {peer_run_cpu / (imf_user + imf_sys):6.1f}x")
print("(wall ratios are only meaningful on a quiet machine; cpu ratios are robust to other load)")
print(f"outputs whose 95 % intervals do not overlap: {bad} of {len(table)}")
EOF
