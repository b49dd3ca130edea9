"""Configuration after creation (SPEC §12, supervision/config.py): `python -m supervision config load` changes the
tier scheme, the complaint levels, the greeting window and the vocabularies of a live database — validated whole
with line numbers, versioned with its files' SHA-256, the obligations rebuilt, every earlier version kept.

The switch to a five-tier scheme (1A–5A) and back runs end to end on the committed sample through the CLI: every
report follows the new names with the same numbers, an export with the old names still imports, and switching
back gives every report byte for byte. tests/browser/test_config_ui.py draws the switched scheme in Chromium.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from support import IMPORT_DAY, complaint, cust, imported_db, log, member, write_export, write_files

from supervision import auth, cli, config, contract, db, importing, measures, store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "small"
FIVE = ROOT / "sample_data" / "config" / "five_tier"
FOUR = ROOT / "sample_data" / "config" / "four_tier"
RENAMED = {"A+": "1A", "A": "2A", "B": "3A", "C": "4A"}
W = ["--from", "2026-01-01", "--to", "2026-12-31", "--as-of", "2026-11-20"]


def reports(path: str, capsys) -> dict[tuple[str, str], str]:
    """Every measure at every level it accepts, as `report` prints it (CSV)."""
    out = {}
    for measure in contract.MEASURES + contract.S12_MEASURES:
        for level in contract.LEVELS:
            if level in contract.REFUSED_LEVELS.get(measure, ()):
                continue
            assert cli.main(["report", measure, "--by", level, "--db", path, "--format", "csv", *W]) == 0
            out[(measure, level)] = capsys.readouterr().out
    return out


def load(path: str, *files, capsys=None) -> tuple[int, str]:
    rc = cli.main(["config", "load", *map(str, files), "--db", path])
    return rc, (capsys.readouterr().err if capsys else "")


def test_five_tiers_and_back_end_to_end(tmp_path, capsys):
    path = str(tmp_path / "s.duckdb")
    assert cli.main(["import", str(SAMPLE), "--db", path]) == 0
    capsys.readouterr()
    before = reports(path, capsys)

    rc, err = load(path, FIVE / "tiers.csv", FIVE / "standards.csv", capsys=capsys)
    assert rc == 0, err
    five = reports(path, capsys)
    for key, text in before.items():
        if key[1] != "tier":
            assert five[key] == text, key  # only the tier names changed
            continue
        old = dict(line.split(",", 1) for line in text.splitlines()[1:])
        new = dict(line.split(",", 1) for line in five[key].splitlines()[1:])
        assert new == {RENAMED[t]: rest for t, rest in old.items()}, key  # the same numbers under the new names
    con = db.connect(path, read_only=True)
    assert {t for (t,) in con.execute("select distinct tier from customers").fetchall()} <= set(RENAMED.values())
    assert con.execute("select list(tier order by rank) from tiers").fetchone()[0] == ["1A", "2A", "3A", "4A", "5A"]
    con.close()

    # the CRM still exports the old names: they are read as the tiers that replaced them, nothing is quarantined
    assert cli.main(["import", str(SAMPLE), "--db", path]) == 0
    capsys.readouterr()
    con = db.connect(path, read_only=True)
    last = con.execute("select max(import_id) from imports").fetchone()[0]
    stats = con.execute(
        "select accepted, updated from import_files where import_id = $i and file in ('customers.csv', "
        "'tier_history.csv')",
        {"i": last},
    ).fetchall()
    assert stats == [(0, 0), (0, 0)]
    con.close()
    assert reports(path, capsys) == five

    rc, err = load(path, FOUR / "tiers.csv", FOUR / "standards.csv", capsys=capsys)
    assert rc == 0, err
    assert reports(path, capsys) == before  # back: every report byte for byte

    con = db.connect(path, read_only=True)
    versions = con.execute(
        "select version, source, sha256, standards_version from config_versions order by 1"
    ).fetchall()
    assert [v[0] for v in versions] == [1, 2, 3] and versions[0][1] == "defaults"
    digest = hashlib.sha256()
    for f in sorted([str(FIVE / "standards.csv"), str(FIVE / "tiers.csv")]):
        digest.update(Path(f).read_bytes())
    assert versions[1][1:] == ("tiers.csv; standards.csv", digest.hexdigest(), 2)
    # every version keeps a snapshot of every part: version 2's scheme is the five tiers, with their old names
    tiers_v2 = con.execute("select content from config_parts where version = 2 and part = 'tiers'").fetchone()[0]
    assert "1A,1,1,500,banking;power;petroleum,A+" in tiers_v2 and "5A,5,3,,," in tiers_v2
    assert con.execute("select count(*) from config_parts").fetchone()[0] == 12
    con.close()


def test_a_scheme_without_its_standards_is_refused_naming_both_files(tmp_path, capsys):
    path = imported_db(tmp_path / "a.duckdb", customers=[cust("C1", "A", "M1")])
    rc, err = load(path, FIVE / "tiers.csv", capsys=capsys)
    assert rc == 2
    assert "tiers.csv: the scheme no longer has tier 'A+', but the standards in force (v1, standards.csv)" in err
    assert "on line(s) 2, 6, 10, 14, 18, 22, 26" in err
    assert "nothing was changed" in err
    con = db.connect(path, read_only=True)
    assert con.execute("select count(*) from config_versions").fetchone()[0] == 1
    assert con.execute("select tier from customers").fetchall() == [("A",)]
    con.close()


def test_a_tier_without_a_complaint_level_is_refused_naming_both_files(tmp_path, capsys):
    path = imported_db(tmp_path / "a.duckdb", customers=[cust("C1", "A", "M1")])
    folder = write_files(
        tmp_path / "cfg",
        {
            "tiers.csv": (FIVE / "tiers.csv").read_text().replace("5A,5,3,", "5A,5,4,"),
            "levels.csv": "level,first_contact_hours,resolve_hours,return_visit_days\n1,2,24,3\n2,4,48,3\n",
        },
    )
    rc, err = load(path, folder / "tiers.csv", FIVE / "standards.csv", capsys=capsys)
    assert rc == 2
    assert (
        "tiers.csv line 6: tier 5A has complaint level 4, which complaint_levels.csv in force (configuration v1)" in err
    )
    # complaint levels without level 3, which the scheme in force gives to B and C
    rc, err = load(path, folder / "levels.csv", capsys=capsys)
    assert rc == 2
    assert (
        "tiers.csv in force (configuration v1): tier B has complaint level 3, which levels.csv does not define" in err
    )
    assert "tier C has complaint level 3" in err


def test_every_problem_of_every_file_with_its_line(tmp_path, capsys):
    path = imported_db(tmp_path / "a.duckdb", customers=[cust("C1", "A", "M1")])
    folder = write_files(
        tmp_path / "cfg",
        {
            "settings.csv": "key,value\ngreeting_window_days,40\ncolour,blue\ngreeting_service,visit\n",
            "vocab.csv": "domain,code,label_zh,label_en,aliases,attr\n"
            "status,completed,已完成,Completed,,\n"  # 'cancelled' gone: the rules read it
            "service,visit,上门拜访,Visit,培训,frequency\n"  # 培训 is training's label
            "service,training,移动业务培训,Training,培训,frequency\n"
            "colour,red,红,Red,,\n",
            "odd.csv": "a,b\n1,2\n",
        },
    )
    rc, err = load(path, *(folder / n for n in ("settings.csv", "vocab.csv", "odd.csv")), capsys=capsys)
    assert rc == 2
    for text in (
        "settings.csv line 2: greeting_window_days '40' must be a whole number from 1 to 31",
        "settings.csv line 3: unknown setting 'colour'",
        "odd.csv line 1: not a configuration file",
        "vocab.csv line 5: unknown vocabulary 'colour'",
        "vocab.csv: the codes of 'status' are read by the rules and cannot change",
        "'培训' would name both 'visit' and 'training' of 'service'",
        "vocab.csv: service 'network_test' is removed, but the standards in force (v1, standards.csv) name it",
        "settings.csv line 4: greeting_service 'visit' is not a member service of vocab.csv",
    ):
        assert text in err, text


def test_a_stored_tier_the_scheme_drops_is_refused(tmp_path, capsys):
    path = imported_db(tmp_path / "a.duckdb", customers=[cust("C1", "A", "M1"), cust("C2", "C", "M1")])
    folder = write_files(
        tmp_path / "cfg",
        {
            "tiers.csv": "tier,rank,complaint_level,upgrade_min_members,upgrade_industries\n"
            "A+,1,1,500,banking\nA,2,2,300,\nB,3,3,100,\n",
            "standards.csv": "\n".join(
                line for line in (FOUR / "standards.csv").read_text().splitlines() if not line.startswith("C,")
            )
            + "\n",
        },
    )
    rc, err = load(path, folder / "tiers.csv", folder / "standards.csv", capsys=capsys)
    assert rc == 2
    assert "tiers.csv: the scheme no longer has tier 'C', which 1 stored customers row(s) carry" in err


def greeting_db(tmp_path) -> str:
    """GM1's birthday 05-10, greeted 05-06 (4 days before); C1's complaint (tier A: level 2, 48 h to resolve)
    resolved after 23 h."""
    return imported_db(
        tmp_path / "g.duckdb",
        customers=[cust("C1", "A", "M1")],
        members=[member("GM1", "C1", "important_leader", "1970-05-10")],
        logs=[log("R1", "C1", "greeting", "2026-05-06 10:00", member="GM1")],
        complaints=[complaint("Q1", "C1", "2026-03-01 10:00", "2026-03-01 11:00", "2026-03-02 09:00")],
    )


def measure(path: str, name: str) -> dict:
    con = db.connect(path, read_only=True)
    try:
        header, rows = measures.report(
            con, name, "province", dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 7, 15)
        )
    finally:
        con.close()
    return dict(zip(header, rows[0]))


def test_the_greeting_window_and_complaint_limits_change_the_numbers(tmp_path, capsys):
    """Window 8 (the birthday and 7 days before): a greeting 4 days before is on time; window 3: late. Level 2's
    48 h: resolved after 23 h is on time; 12 h: late. Loading the defaults again puts both back."""
    path = greeting_db(tmp_path)
    assert measure(path, "greetings")["met"] == 1 and measure(path, "complaints")["resolved_on_time"] == 1
    folder = write_files(
        tmp_path / "cfg",
        {
            "settings.csv": "key,value\ngreeting_window_days,3\n",
            "complaint_levels.csv": "level,first_contact_hours,resolve_hours,return_visit_days\n"
            "1,2,24,3\n2,4,12,3\n3,8,72,3\n",
        },
    )
    rc, err = load(path, folder / "settings.csv", folder / "complaint_levels.csv", capsys=capsys)
    assert rc == 0, err
    assert measure(path, "greetings")["met"] == 0 and measure(path, "greetings")["missed"] == 1
    assert measure(path, "complaints")["resolved_on_time"] == 0
    defaults = ROOT / "supervision" / "defaults"
    rc, err = load(path, defaults / "settings.csv", defaults / "complaint_levels.csv", capsys=capsys)
    assert rc == 0, err
    assert measure(path, "greetings")["met"] == 1 and measure(path, "complaints")["resolved_on_time"] == 1
    con = db.connect(path, read_only=True)
    assert con.execute("select count(*) from config_versions").fetchone()[0] == 3
    con.close()
    # the same files again change nothing: no new version
    assert cli.main(["config", "load", str(defaults / "settings.csv"), "--db", path]) == 0
    assert "configuration unchanged (same as version 3)" in capsys.readouterr().out
    con = db.connect(path, read_only=True)
    assert con.execute("select count(*) from config_versions").fetchone()[0] == 3
    con.close()


def test_a_new_alias_lets_an_export_word_import(tmp_path, capsys):
    """走访 is not a service label: quarantined. After a vocab load that gives visit the alias 走访, it imports."""
    folder = write_export(
        tmp_path / "exp", customers=[cust("C1", "A", "M1")], logs=[log("R1", "C1", "走访", "2026-05-06 10:00")]
    )
    path = str(tmp_path / "v.duckdb")
    con = store.open_direct(path)
    rep = importing.run_import(con, str(folder), today=IMPORT_DAY)
    assert next(f for f in rep.files if f.file == "service_logs.csv").quarantined == 1
    con.close()
    vocab = (ROOT / "supervision" / "defaults" / "vocab.csv").read_text(encoding="utf-8")
    vocab = vocab.replace("service,visit,上门拜访,Visit,,frequency", "service,visit,上门拜访,Visit,走访,frequency")
    cfg = write_files(tmp_path / "cfg", {"vocab.csv": vocab})
    rc, err = load(path, cfg / "vocab.csv", capsys=capsys)
    assert rc == 0, err
    con = store.open_direct(path)
    rep = importing.run_import(con, str(folder), today=IMPORT_DAY)
    logs = next(f for f in rep.files if f.file == "service_logs.csv")
    assert (logs.accepted, logs.quarantined) == (1, 0)
    assert con.execute("select service_code from service_logs").fetchall() == [("visit",)]
    con.close()


def test_show_and_export_a_version(tmp_path, capsys):
    path = imported_db(tmp_path / "a.duckdb", customers=[cust("C1", "A", "M1")])
    assert load(path, FIVE / "tiers.csv", FIVE / "standards.csv", capsys=capsys)[0] == 0
    capsys.readouterr()
    assert cli.main(["config", "show", "--db", path, "--version", "1"]) == 0
    out = capsys.readouterr().out
    assert "tiers.csv; standards.csv" in out and "A+,1,1,500,banking;power;petroleum," in out
    assert cli.main(["config", "export", str(tmp_path / "v2"), "--db", path]) == 0
    assert (tmp_path / "v2" / "tiers.csv").read_text().splitlines()[1] == "1A,1,1,500,banking;power;petroleum,A+"
    # what was exported loads back, as a folder, as the same configuration: no new version
    rc, err = load(path, tmp_path / "v2", capsys=capsys)
    assert rc == 0, err
    con = db.connect(path, read_only=True)
    assert config.current_version(con) == 2
    con.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_standards_page_names_the_configuration_version(dashboard, lang):
    at = dashboard(auth.User("prov", "省", "province"), "standards", lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(c.value for c in at.caption)
    assert ("配置版本 v1" if lang == "zh" else "configuration version v1") in text
    assert any(e.label.startswith("等级方案" if lang == "zh" else "Tier scheme (tiers.csv)") for e in at.expander)


def test_a_standards_file_that_disagrees_with_the_scheme_names_both_files(tmp_path, capsys):
    """Four tiers with the five tiers' standards: each unknown tier names the standards line and the tiers file;
    a bad complaint-levels file in the same load is reported at the same time."""
    path = imported_db(tmp_path / "a.duckdb", customers=[cust("C1", "A", "M1")])
    folder = write_files(
        tmp_path / "cfg", {"levels.csv": "level,first_contact_hours,resolve_hours,return_visit_days\n1,2,24,3\n"}
    )
    rc, err = load(path, FOUR / "tiers.csv", FIVE / "standards.csv", folder / "levels.csv", capsys=capsys)
    assert rc == 2
    assert "standards.csv: line 2: unknown tier '1A'" in err and "— the tier scheme is tiers.csv" in err
    assert "tier A has complaint level 2, which levels.csv does not define" in err


def test_aliases_survive_a_tiers_file_without_them_and_are_read_once(tmp_path, capsys):
    """After the switch to 1A–5A, a tiers file without the aliases column (only 4A's threshold changes) keeps the
    former names: the old export still imports clean. A former name written twice is one alias."""
    path = str(tmp_path / "s.duckdb")
    assert cli.main(["import", str(SAMPLE), "--db", path]) == 0
    tiers = (FIVE / "tiers.csv").read_text().splitlines()
    tiers = [tiers[0].replace(",aliases", "")] + [",".join(t.split(",")[:5]) for t in tiers[1:]]
    tiers[4] = tiers[4].replace("4A,4,3,50,", "4A,4,3,60,")
    doubled = (FIVE / "tiers.csv").read_text().replace(",A+\n", ",A+;A+\n")
    folder = write_files(tmp_path / "cfg", {"tiers.csv": "\n".join(tiers) + "\n", "doubled.csv": doubled})
    assert load(path, folder / "doubled.csv", FIVE / "standards.csv", capsys=capsys)[0] == 0
    assert load(path, folder / "tiers.csv", capsys=capsys)[0] == 0
    con = db.connect(path, read_only=True)
    assert con.execute("select count(*) from tier_aliases where alias = 'A+'").fetchone()[0] == 1
    assert con.execute("select upgrade_min_members from tiers where tier = '4A'").fetchone()[0] == 60
    con.close()
    capsys.readouterr()
    assert cli.main(["import", str(SAMPLE), "--db", path]) == 0
    con = db.connect(path, read_only=True)
    last = con.execute("select max(import_id) from imports").fetchone()[0]
    assert (
        con.execute(
            "select sum(quarantined) from import_files where import_id = $i and file in ('customers.csv', "
            "'tier_history.csv')",
            {"i": last},
        ).fetchone()[0]
        == 0
    )
    con.close()


def test_a_service_the_standards_measure_cannot_become_a_member_service(tmp_path, capsys):
    path = imported_db(tmp_path / "a.duckdb", customers=[cust("C1", "A", "M1")])
    vocab = (ROOT / "supervision" / "defaults" / "vocab.csv").read_text(encoding="utf-8")
    vocab = vocab.replace("service,visit,上门拜访,Visit,,frequency", "service,visit,上门拜访,Visit,,member")
    rc, err = load(path, write_files(tmp_path / "cfg", {"vocab.csv": vocab}) / "vocab.csv", capsys=capsys)
    assert rc == 2
    assert "vocab.csv: service 'visit' becomes a member service, but the standards in force (v1, standards.csv)" in err


def test_vocabularies_a_code_upgrade_adds_are_a_version_of_their_own(tmp_path):
    """A database from before SPEC §12 lacks its vocabularies: the upgrade seeds them and records the change."""
    path = imported_db(tmp_path / "a.duckdb", customers=[cust("C1", "A", "M1")])
    con = db.connect(path)
    con.execute("delete from vocab where domain = 'yes_no'")
    con.close()
    store.upgrade(path)
    con = db.connect(path, read_only=True)
    assert con.execute("select version, source from config_versions order by 1").fetchall() == [
        (1, "defaults"),
        (2, "upgrade"),
    ]
    assert (
        "yes_no,yes,"
        in con.execute("select content from config_parts where version = 2 and part = 'vocab'").fetchone()[0]
    )
    con.close()
