#!/usr/bin/env python3
"""Generate the bundled cptsopt example (the `make demo` scenario around Épinal, Vosges).

    python3 datasets/examples/make_example.py      # rewrites the files next to this script

Writes doctors.csv, patients.csv and patients_semicolon.csv. Seeded and deterministic:
two runs give identical bytes (it uses only `random.Random(SEED)` and the communes table
datasets/communes/communes.csv for commune coordinates). Not run by the build; the
generated files are committed. See README.md for the scenario and the source figures.
"""
import csv
import math
import os
import random

SEED = 20240101
HERE = os.path.dirname(os.path.abspath(__file__))
COMMUNES = os.path.join(HERE, "..", "communes", "communes.csv")
N_PATIENTS = 600

# ---------------------------------------------------------------- communes table
communes = {}
with open(COMMUNES, encoding="utf-8", newline="") as f:
    for row in csv.DictReader(f):
        communes[row["insee"]] = row


def point(insee):
    c = communes[insee]
    return float(c["lat"]), float(c["lon"])


def haversine_km(a, b):
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


rng = random.Random(SEED)

# ---------------------------------------------------------------- doctors
# MT list sizes, CNAM 31/12/2021 (DOMAIN.md): percentile -> list size. P0 and P100 are
# not published: 0 and 2,600 are assumptions to close the interpolation.
LIST_PCT = [(0.0, 0), (0.10, 198), (0.20, 532), (0.30, 731), (0.50, 1020), (0.70, 1318),
            (0.80, 1524), (0.90, 1844), (1.00, 2600)]


def list_size(q):
    for (q0, v0), (q1, v1) in zip(LIST_PCT, LIST_PCT[1:]):
        if q <= q1:
            return v0 + (v1 - v0) * (q - q0) / (q1 - q0)
    return LIST_PCT[-1][1]


# Épinal's second practice is given by coordinates (a neighbourhood east of the centre).
EPINAL = point("88160")
ST_LAURENT = (round(EPINAL[0] - 0.0045, 5), round(EPINAL[1] + 0.0190, 5))

# (site, commune or None, explicit point or None, number of doctors)
PRACTICES = [
    ("msp-epinal-centre", "88160", None, 4),
    ("epinal-st-laurent", None, ST_LAURENT, 2),
    ("msp-golbey", "88209", None, 3),
    ("msp-thaon", "88465", None, 3),
    ("msp-xertigny", "88530", None, 3),
    ("bruyeres", "88078", None, 2),
    ("charmes", "88090", None, 2),
    ("nomexy", "88327", None, 2),
    ("", "88151", None, 1),   # solo doctors: no site
    ("", "88011", None, 1),
    ("", "88158", None, 1),
    ("", "88429", None, 1),
    ("", "88087", None, 1),
]

# Room left on each list (capacity - current), fixed by hand so that the total spare
# capacity (590) is below the demand (600) and some patients stay unassigned for lack
# of capacity. Negative: the list is already above what the doctor wants.
# Order follows the doctors D01..D26.
ROOM = [
    12, 0, 8, 20,        # msp-epinal-centre   D01-D04
    25, 0,               # epinal-st-laurent   D05-D06
    45, 14, 0,           # msp-golbey          D07-D09
    6, 0, 18,            # msp-thaon           D10-D12 (D11: retiring, see README)
    150, 10, 22,         # msp-xertigny        D13-D15 (D13: newly installed)
    110, 4,              # bruyeres            D16-D17
    70, 16,              # charmes             D18-D19
    -20, 30,             # nomexy              D20-D21
    9, -45, 15, 0, 6,    # solos Dompaire, Arches, Éloyes, Saint-Nabord, Chantraine
]
MAX_NEW = {"D13": 90, "D16": 80, "D18": 40}
NO_CHILDREN = {"D03", "D23"}
NO_HOME_VISITS = {"D06", "D09"}
NEW_DOCTORS = {"D13", "D16"}     # recently installed: short lists
LEAVING = "D11"                  # big list, about to retire: the `depart` demo

doctors = []
for site, insee, pt, n in PRACTICES:
    for _ in range(n):
        did = "D%02d" % (len(doctors) + 1)
        room = ROOM[len(doctors)]
        if did in NEW_DOCTORS:
            q = rng.uniform(0.22, 0.40)
        elif did == LEAVING:
            q = 0.93
        else:
            q = rng.uniform(0.45, 0.92)  # an under-served area: lists above the median
        current = int(round(list_size(q) / 10.0)) * 10 + rng.randint(0, 9)
        capacity = current + room
        doctors.append({
            "id": did, "commune": insee or "", "pt": pt if pt else point(insee),
            "explicit": pt is not None, "site": site, "capacity": capacity,
            "current": current, "max_new": MAX_NEW.get(did, ""),
            "children": 0 if did in NO_CHILDREN else 1,
            "home_visits": 0 if did in NO_HOME_VISITS else 1,
        })
assert len(doctors) == len(ROOM) == 26

# ---------------------------------------------------------------- patients
# Communes within ~30 km of Épinal and their weight in the draw (roughly their
# population, Épinal damped); Rambervillers is just beyond the default 20 km of the
# nearest doctor; Neufchâteau (~55 km away) gets exactly 2 patients, out of range.
HOME_COMMUNES = [
    ("88160", 150), ("88209", 40), ("88087", 15), ("88465", 40), ("88099", 10),
    ("88247", 8), ("88327", 12), ("88094", 12), ("88513", 12), ("88090", 25),
    ("88151", 12), ("88201", 8), ("88483", 12), ("88126", 10), ("88530", 22),
    ("88484", 8), ("88225", 14), ("88011", 12), ("88358", 14), ("88158", 20),
    ("88429", 22), ("88078", 20), ("88135", 9), ("88101", 10), ("88178", 10),
    ("88136", 8), ("88367", 10),
]
FAR_COMMUNE = "88321"            # Neufchâteau
NEAR_THAON = ["88465", "88099", "88247", "88327", "88209"]

# Age bands of patients without an MT [est, see README]: share, range.
AGE_BANDS = [(0.12, 0, 15), (0.18, 16, 29), (0.20, 30, 44), (0.18, 45, 59),
             (0.12, 60, 69), (0.11, 70, 79), (0.09, 80, 97)]


def draw_age():
    u = rng.random()
    for share, lo, hi in AGE_BANDS:
        if u < share:
            return rng.randint(lo, hi)
        u -= share
    return rng.randint(AGE_BANDS[-1][1], AGE_BANDS[-1][2])


def p_ald(age):          # ALD rises steeply with age; ~18% overall
    for limit, p in ((16, 0.03), (30, 0.05), (45, 0.09), (60, 0.16), (70, 0.28), (80, 0.40)):
        if age < limit:
            return p
    return 0.50


def p_precarity(age):    # C2S: 11% of the population, more among the young
    return 0.14 if age < 16 else 0.13 if age < 60 else 0.06


def p_home_visit(age, ald):
    if age >= 80:
        return 0.35
    if age >= 70:
        return 0.06
    return 0.02 if ald else 0.0


def pick_commune():
    total = sum(w for _, w in HOME_COMMUNES)
    u = rng.uniform(0, total)
    for insee, w in HOME_COMMUNES:
        if u < w:
            return insee
        u -= w
    return HOME_COMMUNES[-1][0]


def draw_household_ages():
    """Ages of a household of 2-5 people (couple, family, parent and adult child)."""
    kind = rng.random()
    if kind < 0.30:                                  # older couple
        a = rng.randint(66, 90)
        return [a, max(60, a + rng.randint(-6, 4))]
    if kind < 0.45:                                  # young couple
        a = rng.randint(20, 38)
        return [a, a + rng.randint(-4, 4)]
    if kind < 0.55:                                  # adult living with an old parent
        a = rng.randint(45, 62)
        return [a, a + rng.randint(24, 32)]
    # family: one or two adults and 1-3 children
    adults = 1 if rng.random() < 0.3 else 2
    a = rng.randint(26, 46)
    ages = [a] + ([a + rng.randint(-4, 4)] if adults == 2 else [])
    n_children = rng.choice([1, 1, 2, 2, 2, 3]) if len(ages) == 2 else rng.choice([1, 2, 3])
    for _ in range(n_children):
        ages.append(rng.randint(0, min(15, a - 20)))
    return ages


# Units: singles and households. ~30% of the patients live in households of 2-5.
units = []
n = 0
while n < N_PATIENTS - 2:
    if rng.random() < 0.15:
        ages = draw_household_ages()
        if n + len(ages) > N_PATIENTS - 2:
            continue
        units.append(ages)
        n += len(ages)
    else:
        units.append([draw_age()])
        n += 1

explicit_budget = 30   # patients placed by explicit coordinates (hamlets, farms)
patients = []
hh_count = 0
for ages in units:
    insee = pick_commune()
    hid = ""
    if len(ages) > 1:
        hh_count += 1
        hid = "H%03d" % hh_count
    pt = None
    if explicit_budget >= len(ages) and rng.random() < 0.06:
        lat0, lon0 = point(insee)
        pt = (round(lat0 + rng.uniform(-0.018, 0.018), 5), round(lon0 + rng.uniform(-0.027, 0.027), 5))
        explicit_budget -= len(ages)
    for age in ages:
        ald = 1 if rng.random() < p_ald(age) else 0
        patients.append({
            "commune": "" if pt else insee, "pt": pt if pt else point(insee),
            "age": age, "ald": ald,
            "precarity": 1 if rng.random() < p_precarity(age) else 0,
            "home_visit": 1 if rng.random() < p_home_visit(age, ald) else 0,
            "household": hid, "prev_doctor": "", "max_km": "",
        })
# Households share precarity (it is a household resource condition).
by_hh = {}
for p in patients:
    if p["household"]:
        by_hh.setdefault(p["household"], []).append(p)
for members in by_hh.values():
    prec = members[0]["precarity"]
    for p in members:
        p["precarity"] = prec

# Two patients far away (Neufchâteau): out of range of every doctor.
for age in (rng.randint(30, 60), rng.randint(70, 85)):
    patients.append({"commune": FAR_COMMUNE, "pt": point(FAR_COMMUNE), "age": age,
                     "ald": 1 if age >= 70 else 0, "precarity": 0, "home_visit": 0,
                     "household": "", "prev_doctor": "", "max_km": ""})
assert len(patients) == N_PATIENTS

# Previous doctor. ~60 patients around Thaon were on the list of LEAVING (whole
# households together); ~20 more had another doctor of the file (trimmed lists).
def units_of(pred):
    seen, out = set(), []
    for i, p in enumerate(patients):
        key = p["household"] or ("single", i)
        if key in seen:
            continue
        seen.add(key)
        members = by_hh[p["household"]] if p["household"] else [p]
        if pred(members[0]):
            out.append(members)
    return out


thaon_units = units_of(lambda p: p["commune"] in NEAR_THAON)
rng.shuffle(thaon_units)
k = 0
for members in thaon_units:
    if k >= 60:
        break
    for p in members:
        p["prev_doctor"] = LEAVING
    k += len(members)
others = [d for d in doctors if d["id"] != LEAVING]
other_units = units_of(lambda p: not p["prev_doctor"] and p["commune"] != FAR_COMMUNE)
rng.shuffle(other_units)
k = 0
for members in other_units:
    if k >= 20:
        break
    # a doctor of the patient's area: among the 6 nearest
    near = sorted(others, key=lambda d: (haversine_km(members[0]["pt"], d["pt"]), d["id"]))[:6]
    did = rng.choice(near)["id"]
    for p in members:
        p["prev_doctor"] = did
    k += len(members)

# A few personal distance limits: old people without a car, one who would travel.
singles = [p for p in patients if not p["household"] and p["commune"] != FAR_COMMUNE]
old = [p for p in singles if p["age"] >= 75]
for p in rng.sample(old, 6):
    p["max_km"] = rng.choice([8, 10, 12.5])
for p in rng.sample([p for p in singles if 25 <= p["age"] < 60 and not p["max_km"]], 2):
    p["max_km"] = 30

for i, p in enumerate(patients):
    p["id"] = "P%04d" % (i + 1)


# ---------------------------------------------------------------- output
def num(x):
    if x == "":
        return ""
    if isinstance(x, float):
        return ("%.5f" % x).rstrip("0").rstrip(".")
    return str(x)


def write(path, header, rows, sep=",", decimal=".", bom=False):
    with open(path, "w", encoding="utf-8", newline="") as f:
        if bom:
            f.write("\ufeff")
        f.write(sep.join(header) + "\n")
        for r in rows:
            cells = [num(r[h]) for h in header]
            if decimal != ".":
                cells = [c.replace(".", decimal) if h in ("lat", "lon", "max_km") else c
                         for h, c in zip(header, cells)]
            f.write(sep.join(cells) + "\n")


D_HEADER = ["id", "commune", "lat", "lon", "site", "capacity", "current", "max_new",
            "children", "home_visits"]
P_HEADER = ["id", "commune", "lat", "lon", "age", "ald", "precarity", "home_visit",
            "household", "prev_doctor", "max_km"]
for d in doctors:
    d["lat"], d["lon"] = (d["pt"] if d["explicit"] else ("", ""))
for p in patients:
    p["lat"], p["lon"] = (p["pt"] if not p["commune"] else ("", ""))
write(os.path.join(HERE, "doctors.csv"), D_HEADER, doctors)
write(os.path.join(HERE, "patients.csv"), P_HEADER, patients)

# The other dialect: 20 of the same patients, ';'-separated, UTF-8 BOM, decimal commas.
# Chosen to include explicit coordinates and decimal max_km values.
pick = [p for p in patients if p["lat"] != ""][:8]
pick += [p for p in patients if isinstance(p["max_km"], float)][:2]
pick += [p for p in patients if p not in pick and p["max_km"] != ""][:2]
pick += [p for p in patients if p not in pick][:20 - len(pick)]
pick.sort(key=lambda p: p["id"])
write(os.path.join(HERE, "patients_semicolon.csv"), P_HEADER, pick, sep=";", decimal=",", bom=True)

# ---------------------------------------------------------------- summary
if __name__ == "__main__":
    spare = sum(max(0, d["capacity"] - d["current"]) for d in doctors)
    eff = sum(min(max(0, d["capacity"] - d["current"]), d["max_new"] if d["max_new"] != "" else 10**9)
              for d in doctors)
    hh = sum(1 for p in patients if p["household"])
    print("doctors %d, sites %d, communes %d; spare %d (%d with max_new)" % (
        len(doctors), len({d["site"] for d in doctors if d["site"]}),
        len({d["commune"] or "88160" for d in doctors}), spare, eff))
    print("patients %d: ald %.1f%%, precarity %.1f%%, home_visit %d, 70+ %d, <16 %d, "
          "in households %d (%.0f%%, %d households), prev_doctor %d (%s: %d), max_km %d, explicit %d"
          % (len(patients), 100.0 * sum(p["ald"] for p in patients) / len(patients),
             100.0 * sum(p["precarity"] for p in patients) / len(patients),
             sum(p["home_visit"] for p in patients), sum(p["age"] >= 70 for p in patients),
             sum(p["age"] < 16 for p in patients), hh, 100.0 * hh / len(patients), hh_count,
             sum(1 for p in patients if p["prev_doctor"]), LEAVING,
             sum(1 for p in patients if p["prev_doctor"] == LEAVING),
             sum(1 for p in patients if p["max_km"] != ""),
             sum(1 for p in patients if p["lat"] != "")))
