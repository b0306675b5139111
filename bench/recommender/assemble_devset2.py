"""Join the blind profiles (devset2_profiles.yaml) with the judges' grades (judgments_*.yaml) into devset2.yaml.

    .venv/bin/python bench/recommender/assemble_devset2.py /tmp/blind/judgments_*.yaml

A later pooling round (pool.py --exclude) adds grades for items the first round did not show; grades
already given are never changed (the first grade stands, and a conflict is reported).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).parent


def main(paths: list[str]) -> int:
    profiles = yaml.safe_load((HERE / "devset2_profiles.yaml").read_text(encoding="utf-8"))["profiles"]
    target = HERE / "devset2.yaml"
    graded: dict[str, dict[str, dict[str, int]]] = {}
    if target.exists():
        for p in yaml.safe_load(target.read_text(encoding="utf-8"))["profiles"]:
            graded[p["id"]] = p["judgments"]
    for path in paths:
        for j in yaml.safe_load(Path(path).read_text(encoding="utf-8"))["judgments"]:
            mine = graded.setdefault(j["id"], {"practices": {}, "peers": {}})
            for what in ("practices", "peers"):
                for item, grade in (j.get(what) or {}).items():
                    if item in mine[what] and mine[what][item] != int(grade):
                        print(f"{j['id']}: {item} already graded {mine[what][item]}, kept (new grade {grade})")
                        continue
                    mine[what][item] = int(grade)
    out = []
    for p in profiles:
        if p["id"] not in graded:
            print(f"{p['id']}: no grades, left out")
            continue
        out.append({**p, "judgments": graded[p["id"]]})
    header = ("# Second development set (issue 11): profiles written and graded blind (JUDGING_BLIND.md).\n"
              "# Grades 2/1/0 on pooled candidates; an item not listed under a profile was never shown to a judge.\n")
    target.write_text(header + yaml.safe_dump({"profiles": out}, allow_unicode=True, sort_keys=False, width=120),
                      encoding="utf-8")
    print(f"{target}: {len(out)} profiles, {sum(len(p['judgments']['practices']) + len(p['judgments']['peers']) for p in out)} grades")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
