"""The 预警 page (SPEC §9, §7): each reader lists the alerts their scope holds, with how each was delivered."""

from __future__ import annotations

import datetime as dt

from support import offending
from test_page_text import texts

from supervision import alerts, auth

CITY = auth.User("li", "李", "city", "2101")
PROVINCE = auth.User("prov", "省", "province")


def _raise_alerts(examples_db, tmp_path, monkeypatch):
    monkeypatch.setenv("SUPERVISION_ALERTS_DIR", str(tmp_path / "alerts"))
    monkeypatch.setenv("SUPERVISION_ALERTS_CONFIG", str(tmp_path / "none.toml"))
    rules = tmp_path / "rules.csv"
    rules.write_text(
        "rule,measure,level,condition,threshold,every,recipients,note\n"
        "low,compliance,district,rate_below,1,month,@scope,区县达标率低于100%\n",
        encoding="utf-8",
    )
    rep = alerts.run(examples_db, rules, dt.date(2026, 7, 15))
    assert rep.new > 0
    return alerts.read_state(tmp_path / "alerts")


def test_each_reader_lists_the_alerts_of_their_scope_in_chinese(dashboard, examples_db, tmp_path, monkeypatch):
    state = _raise_alerts(examples_db, tmp_path, monkeypatch)
    cities = {v["city_code"] for v in state.values()}
    at = dashboard(PROVINCE, "alerts")
    assert not at.exception
    (table,) = at.dataframe
    assert len(table.value) == len(state)
    problems = [(k, t[:60], b) for k, t in texts(at) if (b := offending(t)) and not k.startswith("cell[")]
    assert not problems, problems
    assert "仅在发件箱" in table.value.to_string() and "未配置邮件服务器" in table.value.to_string()
    at = dashboard(CITY, "alerts")
    (table,) = at.dataframe
    mine = [v for v in state.values() if v["city_code"] == "2101"]
    assert mine and len(mine) < len(state) and cities > {"2101"}
    shown = {g.rsplit("(", 1)[1].rstrip(")") for g in table.value["alert_group"]}
    assert shown == {v["group"] for v in mine}
