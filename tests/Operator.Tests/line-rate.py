#!/usr/bin/env python3
"""Line coverage of some source folders from coverlet's cobertura XML.

usage: line-rate.py COVERAGE.xml FOLDER...   (folders relative to the repository root, e.g. src/Operator/Controllers)
Prints covered/total lines per folder and overall, and the least covered files.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

report, folders = sys.argv[1], [f.rstrip("/") + "/" for f in sys.argv[2:]]
root = ET.parse(report).getroot()
sources = [s.text.rstrip("/") + "/" for s in root.iter("source") if s.text]
lines = {}  # (file, line) -> hit; a line may appear in several classes (nested, generated)
for cls in root.iter("class"):
    name = cls.get("filename").replace("\\", "/")
    full = next((s + name for s in sources if Path(s + name).exists()), name)
    for line in cls.iter("line"):
        key = (full, int(line.get("number")))
        lines[key] = lines.get(key, False) or int(line.get("hits")) > 0
repo = Path(__file__).resolve().parents[2].as_posix() + "/"
per_file, totals = {}, {}
for (path, _), hit in lines.items():
    rel = path[len(repo):] if path.startswith(repo) else path
    folder = next((f for f in folders if rel.startswith(f)), None)
    if folder is None:
        continue
    c, t = per_file.get(rel, (0, 0))
    per_file[rel] = (c + hit, t + 1)
    c, t = totals.get(folder, (0, 0))
    totals[folder] = (c + hit, t + 1)
for folder in folders:
    c, t = totals.get(folder, (0, 0))
    print(f"{folder:45} {c:5}/{t:<5} {100 * c / max(t, 1):6.1f} %")
c, t = sum(v[0] for v in totals.values()), sum(v[1] for v in totals.values())
print(f"{'all':45} {c:5}/{t:<5} {100 * c / max(t, 1):6.1f} %")
print("least covered files:")
for rel, (c, t) in sorted(per_file.items(), key=lambda kv: kv[1][0] / kv[1][1])[:8]:
    print(f"  {rel:70} {c:4}/{t:<4} {100 * c / t:6.1f} %")
