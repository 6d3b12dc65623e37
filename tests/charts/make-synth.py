#!/usr/bin/env python3
"""make-synth.py — writes tests/charts/synth/*.csv: deterministic, clearly
synthetic rows for the chart rendering tests (a daily casualty series and a
control history), which the real datasets are too small to exercise. Not
used by any report. Run from the repository root."""
import csv, datetime, os

out = "tests/charts/synth"
os.makedirs(out, exist_ok=True)
SRC = "synthetic-fixture"

with open(f"{out}/sources.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow("id,title,publisher,author,published,url,accessed,kind,language,archive,note".split(","))
    for sid, pub in (("synthetic-fixture", "Synthetic test fixture A"),
                     ("synthetic-fixture-b", "Synthetic test fixture B")):
        w.writerow([sid, "Synthetic rows for chart tests", pub, "unknown", "2024",
                    "", "unknown", "other", "en", "", "Not real data."])

cols = "id,event,date_from,date_to,party,category,population,value,value_high,qualifier,reported_by,source,stated_as,note".split(",")
with open(f"{out}/casualties.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(cols)
    d0 = datetime.date(2020, 9, 27)
    for i in range(400):
        d = d0 + datetime.timedelta(days=i)
        for p, (party, k) in enumerate((("Side A", 7), ("Side B", 5))):
            # A deterministic wave: heavy fighting in the first 44 days.
            v = (k * 3 + (i * (p + 3)) % 11) if i < 44 else (i * (p + 2)) % 3
            w.writerow([f"d{i}-{p}", "Synthetic war", d.isoformat(), "", party,
                        "killed", "all", v, "", "exact", "Reporter X", SRC, str(v), ""])
    # A contested monthly claim and a range.
    w.writerow(["c1", "Synthetic war", "2020-10-15", "", "Side A", "killed", "all",
                120, 180, "range", "Reporter Y", "synthetic-fixture-b", "120-180", ""])

cols = "id,date,area,controller,value,value_high,unit,of,qualifier,reported_by,source,stated_as,note".split(",")
rows = [("1991-12", "Force A", 15), ("1991-12", "Force B", 85),
        ("1992-06", "Force A", 55), ("1992-06", "Force B", 45),
        ("1993-05", "Force A", 30), ("1993-05", "Force B", 70),
        ("1994-05-12", "Force A", 10), ("1994-05-12", "Force B", 90),
        ("2020-11-09", "Force A", 65), ("2020-11-09", "Force B", 25),
        ("2020-11-09", "Peacekeepers", 10),
        ("2023-09-20", "Force A", 100), ("2023-09-20", "Force B", 0),
        ("2023-09-20", "Peacekeepers", 0)]
with open(f"{out}/control.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(cols)
    for i, (d, who, v) in enumerate(rows):
        w.writerow([f"c{i}", d, "Region", who, v, "", "percent", "territory of Region",
                    "about" if i == 4 else "exact", "Reporter X", SRC, f"{v}%", ""])
