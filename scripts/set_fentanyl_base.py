#!/usr/bin/env python3
"""Write the fentanyl prevalence of every stream of a JFK scenario from one base value.

    scripts/set_fentanyl_base.py scenarios/jfk_baseline.toml 2.0e-5

prevalence(stream) = base x relative risk, with the relative risks fixed in RISK below and
explained in the scenario header (assumptions, not calibrated). Only the `prevalence = ...`
line inside a stream's fentanyl table and the `# b = ...` header line are rewritten; every
comment is kept. See docs/calibration.md.
"""
import re
import sys

RISK = {
    "packets_cn": 1.0, "express_cn": 4.0, "priority_cn": 1.0, "registered_cn": 1.0,
    "packets_row": 0.1, "express_row": 0.4, "priority_row": 0.1, "registered_row": 0.1,
}


def main() -> None:
    path, base = sys.argv[1], float(sys.argv[2])
    out, stream, seen = [], None, set()
    for line in open(path, encoding="utf-8").read().split("\n"):
        m = re.match(r'\s*name\s*=\s*"([a-z0-9_]+)"', line)
        if m:
            stream = m.group(1)
        m = re.match(r"(\s*prevalence\s*=\s*)([0-9.eE+-]+)(.*)", line)
        if m and stream in RISK:
            line = f"{m.group(1)}{base * RISK[stream]:.3e}{m.group(3)}"
            seen.add(stream)
        line = re.sub(r"^# b = [0-9.eE+-]+", f"# b = {base:.3e}", line)
        out.append(line)
    missing = set(RISK) - seen
    if missing:
        sys.exit(f"{path}: no fentanyl prevalence found for {sorted(missing)}")
    open(path, "w", encoding="utf-8").write("\n".join(out))


if __name__ == "__main__":
    main()
