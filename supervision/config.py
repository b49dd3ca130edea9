"""Configuration after creation (SPEC §3, §12): the tier scheme, the complaint levels and their limits, the
settings (the greeting window ...) and the vocabularies can change after the database exists — validated,
versioned and loaded like standards (`python -m supervision config load FILE... --db PATH`).

A configuration has four parts, each a CSV (or workbook) in the format of the shipped defaults
(supervision/defaults/): `tiers` (tier, rank, complaint_level, upgrade_min_members, upgrade_industries, and an
optional `aliases`: the names the tier had before, `;`-separated), `complaint_levels`, `settings` (key, value)
and `vocab` (domain, code, label_zh, label_en, aliases, attr). A file is recognised by its header, so a load may
carry any of the parts — and a standards file, loaded as a new standards version in the same step (a new tier
scheme needs standards that name its tiers). A part not given stays as it is; a vocab file replaces the domains it
holds, a settings file the keys it holds.

Everything is checked before anything changes and a load is refused whole, every problem named by file and line;
what spans two files names both: a tier whose complaint level the levels do not define, standards naming a tier
the scheme no longer has, an upgrade industry the vocabulary lacks. A tier's aliases relabel the stored customers
and tier history in the same transaction and read an export's old names as the new tier from then on, so a
province can switch schemes (A+/A/B/C → 1A–5A) and back without re-importing.

Every load that changes something is a new version in `config_versions`, with its load time, files, SHA-256 and
user, and a snapshot of all four parts in `config_parts` (the previous versions are kept and shown); the
obligations are rebuilt (supervision/store.load_config). Version 1 is what the database was created with.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import os

import duckdb

from supervision import db, readers, standards

PARTS: dict[str, list[str]] = {
    "tiers": ["tier", "rank", "complaint_level", "upgrade_min_members", "upgrade_industries"],
    "complaint_levels": ["level", "first_contact_hours", "resolve_hours", "return_visit_days"],
    "settings": ["key", "value"],
    "vocab": ["domain", "code", "label_zh", "label_en", "aliases", "attr"],
}
OPTIONAL = {"tiers": ["aliases"]}
SETTINGS = {  # key: (lowest, highest) for a whole number, None for a code checked below
    "greeting_service": None,
    "greeting_window_days": (1, 31),
    "earliest_year": (1900, 2100),
}
# vocabularies whose codes the rules themselves read (SQL and code name them): labels and aliases may change,
# the set of codes may not. Other domains (service, member_role, industry) may gain codes.
FIXED_DOMAINS = {
    "status",
    "requirement",
    "manager_role",
    "satisfaction",
    "order_type",
    "visit_method",
    "inspection_level",
    "yes_no",
}
ATTRS = {"service": {"frequency", "eligibility", "member"}, "member_role": {"core", "ordinary", ""}}


class ConfigError(ValueError):
    """A configuration that cannot be loaded; `.problems` lists one message per problem, each naming its file
    and line (and the other file, when two disagree)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            f"configuration refused ({len(problems)} problem(s)), nothing was changed:\n  " + "\n  ".join(problems)
        )


@dataclasses.dataclass
class Part:
    name: str
    source: str  # the file it came from, or "configuration vN" for a part in force
    rows: list[dict]  # canonical values; each row carries "_line" (0 for a part in force)


def vocab_names(row: dict) -> list[str]:
    """Every name a vocabulary row answers to, as the `vocab` table stores them (one row per name): its code,
    its labels and its aliases, trimmed and lower-cased. The importer's label mapping looks these up."""
    names = (row["code"], row["label_zh"], row["label_en"], *(row.get("aliases") or ()))
    return sorted({x.strip().lower() for x in names if x and x.strip()})


def vocab_rows(rows: list[dict]) -> list[tuple]:
    """`vocab` table rows (domain, code, label_zh, label_en, alias, attr) of vocabulary rows."""
    return [
        (r["domain"], r["code"], r["label_zh"], r["label_en"], a, r["attr"] or None)
        for r in rows
        for a in vocab_names(r)
    ]


def _where(p: Part, row: dict) -> str:
    return f"{p.source} line {row['_line']}" if row.get("_line") else p.source


# ---------------------------------------------------------------- the configuration in force
def current(con: duckdb.DuckDBPyConnection, version: int | None = None) -> dict[str, Part]:
    """The four parts in force, read from the tables (as rows of the files' format)."""
    n = version or current_version(con) or 1
    aliases: dict[str, list[str]] = {}
    for alias, tier in con.execute("select alias, tier from tier_aliases order by alias").fetchall():
        aliases.setdefault(tier, []).append(alias)
    tiers = [
        {
            "tier": t,
            "rank": r,
            "complaint_level": lv,
            "upgrade_min_members": m,
            "upgrade_industries": list(ind or []),
            "aliases": aliases.get(t, []),
            "_line": 0,
        }
        for t, r, lv, m, ind in con.execute(
            "select tier, rank, complaint_level, upgrade_min_members, upgrade_industries from tiers order by rank"
        ).fetchall()
    ]
    levels = [
        dict(zip(PARTS["complaint_levels"], r), _line=0)
        for r in con.execute(
            f"select {', '.join(PARTS['complaint_levels'])} from complaint_levels order by level"
        ).fetchall()
    ]
    settings = [
        {"key": k, "value": v, "_line": 0}
        for k, v in con.execute("select key, value from settings order by key").fetchall()
    ]
    vocab = []
    for domain, code, zh, en, attr, al in con.execute(
        "select domain, code, any_value(label_zh), any_value(label_en), any_value(attr), list(alias order by alias) "
        "from vocab group by domain, code order by domain, min(rowid)"
    ).fetchall():
        implied = set(vocab_names({"code": code, "label_zh": zh, "label_en": en}))
        vocab.append(
            {
                "domain": domain,
                "code": code,
                "label_zh": zh or "",
                "label_en": en or "",
                "aliases": [a for a in al if a not in implied],
                "attr": attr or "",
                "_line": 0,
            }
        )
    parts = {"tiers": tiers, "complaint_levels": levels, "settings": settings, "vocab": vocab}
    return {name: Part(name, f"{name}.csv in force (configuration v{n})", rows) for name, rows in parts.items()}


def current_version(con: duckdb.DuckDBPyConnection) -> int | None:
    return con.execute("select max(version) from config_versions").fetchone()[0]


def canonical(part: Part) -> str:
    """A part as CSV text in the defaults' format (sorted, lists `;`-joined): what a version stores and hashes."""
    cols = PARTS[part.name] + OPTIONAL.get(part.name, [])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)

    def cell(v) -> str:
        if v is None:
            return ""
        if isinstance(v, list):
            return ";".join(v)
        return str(v)

    for row in part.rows:
        w.writerow([cell(row.get(c)) for c in cols])
    return buf.getvalue()


# ---------------------------------------------------------------- reading files
def _kind(header: list[str]) -> str | None:
    names = set(header)
    if set(standards.COLUMNS) <= names:
        return "standards"
    for part, cols in PARTS.items():
        if set(cols) <= names:
            return part
    return None


def _int(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


def read(path: str, problems: list[str]) -> tuple[str | None, Part | None]:
    """One file: its kind ('standards' or a part) and, for a part, its rows with line numbers; format problems
    (fields, numbers) are appended to `problems`."""
    name = os.path.basename(path)
    try:
        _, header, batches = readers.read_file(path)
        lines = [header, *readers.iter_lines(batches)]
    except readers.UnreadableFile as e:
        problems.append(f"{name}: {e}")
        return None, None
    head = [h.strip().lstrip("\ufeff").lower() for h in lines[0].fields]
    kind = _kind(head)
    if kind is None:
        kinds = "; ".join(f"{p}.csv ({', '.join(c)})" for p, c in PARTS.items())
        problems.append(
            f"{name} line {lines[0].number}: not a configuration file — the header must be that of {kinds}, "
            "or of standards.csv"
        )
        return None, None
    if kind == "standards":
        return kind, None
    cols = PARTS[kind] + [c for c in OPTIONAL.get(kind, []) if c in head]
    rows = []
    for ln in lines[1:]:
        if len(ln.fields) != len(head):
            problems.append(f"{name} line {ln.number}: {len(ln.fields)} fields, expected {len(head)}: {ln.raw}")
            continue
        raw = {c: ln.fields[head.index(c)].strip() for c in cols}
        row: dict = {"_line": ln.number}
        bad: list[str] = []
        if kind == "tiers":
            row["tier"] = raw["tier"]
            row["rank"] = _int(raw["rank"])
            row["complaint_level"] = _int(raw["complaint_level"])
            row["upgrade_min_members"] = _int(raw["upgrade_min_members"]) if raw["upgrade_min_members"] else None
            row["upgrade_industries"] = [x.strip() for x in raw["upgrade_industries"].split(";") if x.strip()]
            # None: the file has no aliases column (the aliases in force stay, see merge)
            row["aliases"] = (
                list(dict.fromkeys(x.strip() for x in raw["aliases"].split(";") if x.strip()))
                if "aliases" in raw
                else None
            )
            if not row["tier"]:
                bad.append("empty tier")
            if row["rank"] is None or row["rank"] < 1:
                bad.append(f"rank '{raw['rank']}' is not a whole number of at least 1")
            if row["complaint_level"] is None:
                bad.append(f"complaint_level '{raw['complaint_level']}' is not a whole number")
            if raw["upgrade_min_members"] and (row["upgrade_min_members"] is None or row["upgrade_min_members"] < 0):
                bad.append(f"upgrade_min_members '{raw['upgrade_min_members']}' is not a whole number")
        elif kind == "complaint_levels":
            for c in PARTS[kind]:
                row[c] = _int(raw[c])
                low = 0 if c == "return_visit_days" else 1
                if row[c] is None or row[c] < low:
                    bad.append(f"{c} '{raw[c]}' is not a whole number of at least {low}")
            if not bad and row["first_contact_hours"] > row["resolve_hours"]:
                bad.append("first_contact_hours is longer than resolve_hours")
        elif kind == "settings":
            row["key"], row["value"] = raw["key"], raw["value"]
            if row["key"] not in SETTINGS:
                bad.append(f"unknown setting '{row['key']}' (known: {', '.join(SETTINGS)})")
            elif SETTINGS[row["key"]] is not None:
                lo, hi = SETTINGS[row["key"]]
                if row["key"] == "earliest_year":  # a later year would refuse every record imported today
                    hi = dt.date.today().year
                n = _int(row["value"])
                if n is None or not lo <= n <= hi:
                    bad.append(f"{row['key']} '{row['value']}' must be a whole number from {lo} to {hi}")
        else:
            row.update({c: raw[c] for c in ("domain", "code", "label_zh", "label_en", "attr")})
            row["aliases"] = list(dict.fromkeys(x.strip() for x in raw["aliases"].split(";") if x.strip()))
            if not row["domain"] or not row["code"] or not row["label_zh"]:
                bad.append("domain, code and label_zh are required")
        problems += [f"{name} line {ln.number}: {b}" for b in bad]
        rows.append(row)
    return kind, Part(kind, name, rows)


# ---------------------------------------------------------------- checking a whole configuration
def merge(now: dict[str, Part], given: dict[str, Part]) -> dict[str, Part]:
    """The configuration a load would put in force: given parts replace the current ones (vocab by domain,
    settings by key)."""
    out = dict(now)
    for name, p in given.items():
        if name == "vocab":
            domains = {r["domain"] for r in p.rows}
            kept = [r for r in now["vocab"].rows if r["domain"] not in domains]
            out[name] = Part(name, p.source, p.rows + kept)
        elif name == "settings":
            keys = {r["key"] for r in p.rows}
            out[name] = Part(name, p.source, p.rows + [r for r in now["settings"].rows if r["key"] not in keys])
        elif name == "tiers":
            # a tiers file without the aliases column keeps each remaining tier's aliases in force
            before = {r["tier"]: r["aliases"] for r in now["tiers"].rows}
            rows = [r if r["aliases"] is not None else {**r, "aliases": before.get(r["tier"], [])} for r in p.rows]
            out[name] = Part(name, p.source, rows)
        else:
            out[name] = p
    return out


def check(con: duckdb.DuckDBPyConnection, cfg: dict[str, Part], now: dict[str, Part]) -> list[str]:
    """Every problem of the configuration `cfg` on its own and against what is stored (before any change)."""
    problems: list[str] = []
    tiers, levels, settings, vocab = cfg["tiers"], cfg["complaint_levels"], cfg["settings"], cfg["vocab"]

    def first_seen(part: Part, key) -> dict[object, dict]:
        seen: dict[object, dict] = {}
        for r in part.rows:
            k = key(r)
            if k in seen:
                problems.append(f"{_where(part, r)}: {k} is given twice (also {_where(part, seen[k])})")
            else:
                seen[k] = r
        return seen

    first_seen(tiers, lambda r: f"tier '{r['tier']}'")
    first_seen(tiers, lambda r: f"rank {r['rank']}")
    by_level = {r["level"]: r for r in levels.rows}
    first_seen(levels, lambda r: f"level {r['level']}")
    first_seen(settings, lambda r: f"setting '{r['key']}'")
    if not tiers.rows:
        problems.append(f"{tiers.source}: the tier scheme has no tier")
    names = {r["tier"] for r in tiers.rows}
    industries = {r["code"] for r in vocab.rows if r["domain"] == "industry"}
    alias_of: dict[str, str] = {}
    for r in tiers.rows:
        if r["complaint_level"] is not None and r["complaint_level"] not in by_level:
            problems.append(
                f"{_where(tiers, r)}: tier {r['tier']} has complaint level {r['complaint_level']}, which "
                f"{levels.source} does not define (levels {', '.join(str(x) for x in sorted(by_level))})"
            )
        for ind in r["upgrade_industries"]:
            if ind not in industries:
                problems.append(
                    f"{_where(tiers, r)}: upgrade industry '{ind}' is not an industry code of {vocab.source}"
                )
        for a in r["aliases"]:
            if a in names:
                problems.append(f"{_where(tiers, r)}: alias '{a}' is the name of a tier of the scheme")
            elif a in alias_of and alias_of[a] != r["tier"]:
                problems.append(f"{_where(tiers, r)}: alias '{a}' also names tier {alias_of[a]}")
            alias_of[a] = r["tier"]

    # vocabularies: known domains; the codes the rules read stay; an alias names one code of its domain
    known = {r["domain"] for r in now["vocab"].rows}
    codes_now: dict[str, set[str]] = {}
    for r in now["vocab"].rows:
        codes_now.setdefault(r["domain"], set()).add(r["code"])
    codes: dict[str, set[str]] = {}
    alias_code: dict[tuple[str, str], tuple[str, dict]] = {}
    for r in vocab.rows:
        d = r["domain"]
        if d not in known:
            problems.append(f"{_where(vocab, r)}: unknown vocabulary '{d}' (known: {', '.join(sorted(known))})")
            continue
        if r["code"] in codes.setdefault(d, set()):
            problems.append(f"{_where(vocab, r)}: code '{r['code']}' of '{d}' is given twice")
        codes[d].add(r["code"])
        if d in ATTRS and r["attr"] not in ATTRS[d]:
            problems.append(f"{_where(vocab, r)}: attr '{r['attr']}' of '{d}' must be one of {sorted(ATTRS[d])}")
        for a in vocab_names(r):
            other = alias_code.get((d, a))
            if other and other[0] != r["code"]:
                problems.append(
                    f"{_where(vocab, r)}: '{a}' would name both '{other[0]}' and '{r['code']}' of '{d}' "
                    f"(also {_where(vocab, other[1])})"
                )
            alias_code[(d, a)] = (r["code"], r)
    for d in sorted(FIXED_DOMAINS & set(codes)):
        if codes[d] != codes_now.get(d, set()):
            problems.append(
                f"{vocab.source}: the codes of '{d}' are read by the rules and cannot change "
                f"(they are {', '.join(sorted(codes_now.get(d, set())))}; labels and aliases may)"
            )
    # codes stored data or the standards use may not disappear
    used = {
        "service": "select distinct service_code from service_logs",
        "member_role": "select distinct member_role from members",
        "industry": "select distinct industry from customers where industry is not null",
    }
    for d, sql in used.items():
        if d in codes:
            gone = {c for (c,) in con.execute(sql).fetchall()} & (codes_now.get(d, set()) - codes[d])
            for c in sorted(gone):
                problems.append(f"{vocab.source}: '{c}' of '{d}' is removed, but stored records use it")
    setting = {r["key"]: r for r in settings.rows}
    greet = setting.get("greeting_service")
    if greet is not None:
        member = {r["code"] for r in vocab.rows if r["domain"] == "service" and r["attr"] == "member"}
        if greet["value"] not in member:
            problems.append(
                f"{_where(settings, greet)}: greeting_service '{greet['value']}' is not a member service of "
                f"{vocab.source}"
            )

    # stored customers and tier history must carry a tier of the scheme (after the aliases relabel them)
    for table in ("customers", "tier_history"):
        for tier, n in con.execute(f"select tier, count(*) from {table} group by tier order by tier").fetchall():
            if tier not in names and tier not in alias_of:
                problems.append(
                    f"{tiers.source}: the scheme no longer has tier '{tier}', which {n:,} stored {table} row(s) "
                    "carry: keep the tier, or name it in the aliases of the tier that replaces it"
                )
    return problems


def standards_problems(con: duckdb.DuckDBPyConnection, tiers: Part, vocab: Part) -> list[str]:
    """Standards in force that name a tier the scheme no longer has, or a service the vocabulary no longer has
    (when no new standards file comes with the configuration)."""
    names = {r["tier"] for r in tiers.rows}
    version = standards.current_version(con)
    src = con.execute("select source from standards_versions where version = $v", {"v": version}).fetchone()
    where = f"the standards in force (v{version}, {os.path.basename(src[0]) if src else '?'})"
    out = []
    kinds = {r["code"]: r["attr"] for r in vocab.rows if r["domain"] == "service"}
    for svc, lines in con.execute(
        "select service_code, list(line order by line) from standards where version = $v group by all order by 1",
        {"v": version},
    ).fetchall():
        shown = f"{', '.join(str(x) for x in lines[:8])}{' ...' if len(lines) > 8 else ''}"
        if svc not in kinds:
            out.append(f"{vocab.source}: service '{svc}' is removed, but {where} name it on line(s) {shown}")
        elif kinds[svc] not in ("frequency", "eligibility"):
            out.append(
                f"{vocab.source}: service '{svc}' becomes a {kinds[svc] or 'plain'} service, but {where} set a "
                f"standard for it on line(s) {shown} (a standard needs a frequency or eligibility service)"
            )
    for tier, lines in con.execute(
        "select tier, list(line order by line) from standards where version = $v group by tier order by tier",
        {"v": version},
    ).fetchall():
        if tier not in names:
            shown = ", ".join(str(x) for x in lines[:8]) + (" ..." if len(lines) > 8 else "")
            out.append(
                f"{tiers.source}: the scheme no longer has tier '{tier}', but {where} name it on line(s) {shown}: "
                f"load standards for the new scheme in the same step (config load {tiers.source} standards.csv)"
            )
    return out


# ---------------------------------------------------------------- storing
def write(con: duckdb.DuckDBPyConnection, cfg: dict[str, Part], given: dict[str, Part]) -> None:
    """Put `cfg` in force: the four tables, the tier aliases, and the stored rows relabelled by them."""
    con.execute("delete from tiers")
    db.insert_rows(
        con,
        "tiers",
        [
            (r["tier"], r["rank"], r["complaint_level"], r["upgrade_min_members"], r["upgrade_industries"])
            for r in cfg["tiers"].rows
        ],
    )
    con.execute("delete from tier_aliases")
    aliases = [(a, r["tier"]) for r in cfg["tiers"].rows for a in r["aliases"] or ()]
    if aliases:
        db.insert_rows(con, "tier_aliases", aliases)
        for table in ("customers", "tier_history"):
            con.execute(
                f"update {table} as t set tier = a.tier from tier_aliases as a where t.tier = a.alias"  # noqa: S608
            )
    con.execute("delete from complaint_levels")
    db.insert_rows(
        con,
        "complaint_levels",
        [tuple(r[c] for c in PARTS["complaint_levels"]) for r in cfg["complaint_levels"].rows],
    )
    con.execute("delete from settings")
    db.insert_rows(con, "settings", [(r["key"], r["value"]) for r in cfg["settings"].rows])
    if "vocab" in given:
        con.execute("delete from vocab")
        db.insert_rows(con, "vocab", vocab_rows(cfg["vocab"].rows))


def record(
    con: duckdb.DuckDBPyConnection,
    sources: list[str],
    digest: str,
    username: str | None,
    standards_version: int | None,
    texts: dict[str, str],
) -> int:
    """A new configuration version: its row and `texts`, the snapshot of every part in force (`canonical`)."""
    version = (current_version(con) or 0) + 1
    con.execute(
        "insert into config_versions values ($v, now()::timestamp, $s, $h, $u, $sv)",
        {"v": version, "s": "; ".join(sources), "h": digest, "u": username, "sv": standards_version},
    )
    for name, text in texts.items():
        con.execute(
            "insert into config_parts values ($v, $p, $h, $t)",
            {"v": version, "p": name, "h": hashlib.sha256(text.encode()).hexdigest(), "t": text},
        )
    return version


def record_in_force(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """A version of the configuration in force as it stands, hashed from its parts' text: version 1 when a
    database is created ('defaults') or first versioned ('before_versioning'), and vocabularies a code upgrade
    added ('upgrade')."""
    texts = {name: canonical(p) for name, p in current(con).items()}
    digest = hashlib.sha256("".join(texts.values()).encode()).hexdigest()
    record(con, [source], digest, None, standards.current_version(con), texts)


def shipped(folder: str, names: tuple[str, ...] = tuple(PARTS)) -> dict[str, Part]:
    """Parts of the configuration shipped in `folder` (supervision/defaults), read as any load reads them. A
    database is created with them (supervision/store.py)."""
    problems: list[str] = []
    parts = {}
    for name in names:
        kind, part = read(os.path.join(folder, f"{name}.csv"), problems)
        assert kind == name and not problems, problems  # the shipped files are valid
        parts[name] = part
    return parts


def seed_version(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """Version 1: the configuration the database holds when it is first versioned (the shipped defaults)."""
    if current_version(con) is None:
        record_in_force(con, source)


def expand(paths: list[str]) -> list[str]:
    """Files as given; a folder stands for every .csv, .xlsx and .xls file in it (e.g. what `config export`
    wrote). A path that does not exist is kept: reading it reports it."""
    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            out += sorted(os.path.join(p, n) for n in os.listdir(p) if n.lower().endswith((".csv", ".xlsx", ".xls")))
        else:
            out.append(p)
    return out


@dataclasses.dataclass
class Loaded:
    version: int
    changed: bool
    parts: list[str]  # the parts the files carried
    standards_version: int | None
    standards_loaded: bool
    relabelled: int  # stored customers and tier_history rows given a new tier name by an alias


def load(con: duckdb.DuckDBPyConnection, files: list[str], username: str | None = None) -> Loaded:
    """Validate `files` and put them in force on `con` (inside the caller's transaction; the caller rebuilds
    when `changed`). Raises ConfigError, and then the caller rolls the transaction back: nothing changes."""
    problems: list[str] = []
    given: dict[str, Part] = {}
    std_file: str | None = None
    files = expand(files)
    for path in files:
        kind, part = read(path, problems)
        if kind is None:
            continue
        if kind == "standards":
            if std_file is not None:
                problems.append(f"{os.path.basename(path)}: a second standards file ({os.path.basename(std_file)})")
            std_file = path
        elif kind in given:
            problems.append(f"{os.path.basename(path)}: a second {kind} file ({given[kind].source})")
        else:
            given[kind] = part
    if not given and std_file is None:
        raise ConfigError(problems or ["no configuration file given"])
    now = current(con)
    cfg = merge(now, given)
    problems += check(con, cfg, now)  # the files' own problems and those between files, all at once
    if std_file is None:
        problems += standards_problems(con, cfg["tiers"], cfg["vocab"])
    before = {name: canonical(p) for name, p in now.items()}
    relabelled = 0
    if any(r["aliases"] for r in cfg["tiers"].rows):
        relabelled = con.execute(
            "select (select count(*) from customers where tier in $a) + (select count(*) from tier_history "
            "where tier in $a)",
            {"a": [a for r in cfg["tiers"].rows for a in r["aliases"]]},
        ).fetchone()[0]
    # written inside the caller's transaction even when refused (then rolled back): the standards file is checked
    # against the configuration it comes with, and every problem is reported at once
    if problems and std_file is None:
        raise ConfigError(problems)
    try:
        write(con, cfg, given)
    except duckdb.Error:
        if problems:  # values the problems already name (e.g. a rank that is not a number)
            raise ConfigError(problems) from None
        raise
    std_version, std_loaded = standards.current_version(con), False
    if std_file is not None:
        name = os.path.basename(std_file)
        try:
            if problems:
                standards.parse(con, std_file)
            else:
                std_version, std_loaded = standards.load(con, std_file, source=name, username=username)
        except standards.StandardsError as e:
            problems += [
                f"{name}: {p}" + (f" — the tier scheme is {cfg['tiers'].source}" if "unknown tier" in p else "")
                for p in e.problems
            ]
    if problems:
        raise ConfigError(problems)
    after = {name: canonical(p) for name, p in current(con).items()}
    changed = after != before or std_loaded or relabelled > 0
    version = current_version(con) or 1
    if changed:
        digest = hashlib.sha256()
        for path in sorted(files):
            with open(path, "rb") as f:
                digest.update(f.read())
        version = record(con, [os.path.basename(p) for p in files], digest.hexdigest(), username, std_version, after)
    return Loaded(
        version, changed, sorted(given) + (["standards"] if std_file else []), std_version, std_loaded, relabelled
    )
