"""Many readers at once: N city users open the dashboard and sign in at the same moment.

    .venv/bin/python scripts/loadtest.py --db data/bench_province.duckdb               # N = 1, 4, 8, websocket
    .venv/bin/python scripts/loadtest.py --db data/bench_province.duckdb --client chromium --rounds 3

Two clients, both measuring sign-in → overview ready:
* `websocket` (default) speaks Streamlit's own protocol (the protobuf messages its front end sends over
  /_stcore/stream): open a session, run the app, fill the sign-in form, submit it, and wait until the overview's
  run has finished. It measures the server as N people on N computers load it, without N browsers drawing
  charts on the same two cores.
* `chromium` drives N browser contexts in one headless Chromium on this machine. The browsers' own work (the
  Streamlit front end, Plotly) then competes with the server for the same cores: a pessimistic figure.

Each user is a city user of their own city (created beside the database, password from this script), in a
browser context of their own (no shared cookies). All contexts start together; a user's time runs from
opening the sign-in page to the overview being ready after signing in (Streamlit's status widget gone and the
city ranking drawn). The dashboard is started by this script on its own port (`streamlit run`), as in
production, and restarted for every round so that no round inherits another's cache; before the measured
users, one province user signs in once (a server that has been up since the night's import: its Python
modules loaded and the data read once; none of the city users' results cached), unless --cold. Prints
Markdown: per N,
the median and worst time over all users of all rounds. Chromium and the server share this machine's cores,
so the figures include the browsers' own rendering: a pessimistic measure of the server.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from browser_support import CHROMIUM_ARGS, App, add_users  # noqa: E402

CITIES = [
    "2101",
    "2102",
    "2103",
    "2104",
    "2105",
    "2106",
    "2107",
    "2108",
    "2109",
    "2110",
    "2111",
    "2112",
    "2113",
    "2114",
]
PASSWORD = "loadtest-password-1"


def make_users(db: Path, n: int) -> list[str]:
    """One province user (to warm the server) and n city users, each its own city (round robin)."""
    names = [f"load{i + 1}" for i in range(n)]
    users = {"loadprov": (PASSWORD, ["--role", "province", "--name", "loadprov"])}
    users |= {
        name: (PASSWORD, ["--role", "city", "--city", CITIES[i % len(CITIES)], "--name", name])
        for i, name in enumerate(names)
    }
    add_users(db, users)
    return names


async def one_user(browser, url: str, name: str, start: asyncio.Event) -> float:
    from playwright.async_api import expect

    ctx = await browser.new_context(viewport={"width": 1500, "height": 1000}, locale="zh-CN")
    page = await ctx.new_page()
    await start.wait()
    t0 = time.perf_counter()
    await page.goto(url)
    form = page.get_by_test_id("stForm")
    await expect(form.get_by_label("用户名")).to_be_visible(timeout=120000)
    await form.get_by_label("用户名").fill(name)
    await form.get_by_label("密码").fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await expect(page.get_by_role("button", name="退出登录")).to_be_visible(timeout=120000)
    await expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=120000)  # the city ranking
    await expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=120000)
    elapsed = time.perf_counter() - t0
    await ctx.close()
    return elapsed


async def one_ws_user(url: str, name: str, start: asyncio.Event) -> float:
    """Sign in over Streamlit's websocket and wait for the overview's run to finish (see the module doc)."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    host = url.split("//", 1)[1].rstrip("/")
    await start.wait()
    t0 = time.perf_counter()
    async with websockets.connect(
        f"ws://{host}/_stcore/stream", subprotocols=["streamlit"], origin=f"http://{host}", max_size=None
    ) as ws:

        async def run(states: list | None = None) -> tuple[dict, str]:
            """Send one rerun; collect widgets and text until a run ends without asking for another."""
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            for st in states or []:
                msg.rerun_script.widget_states.widgets.append(st)
            await ws.send(msg.SerializeToString())
            widgets, text = {}, []
            while True:
                fwd = ForwardMsg()
                fwd.ParseFromString(await ws.recv())
                kind = fwd.WhichOneof("type")
                if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                    el = fwd.delta.new_element
                    which = el.WhichOneof("type")
                    if which in ("text_input", "button"):
                        w = getattr(el, which)
                        widgets[w.label] = w.id
                    elif which == "exception":
                        raise RuntimeError(f"{name}: the app raised {el.exception.message}")
                    elif which in ("heading", "markdown", "alert"):
                        text.append(getattr(el, which).body)
                elif kind == "script_finished" and fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    return widgets, "\n".join(text)

        from streamlit.proto.WidgetStates_pb2 import WidgetState

        widgets, _ = await run()
        states = []
        for label, value in (("用户名", name), ("密码", PASSWORD)):
            st_ = WidgetState(id=widgets[label])
            st_.string_value = value
            states.append(st_)
        submit = WidgetState(id=widgets["登录"])
        submit.trigger_value = True
        states.append(submit)
        _, text = await run(states)
        if "总览" not in text:
            raise RuntimeError(f"{name}: the overview was not drawn after signing in: {text[:300]}")
    return time.perf_counter() - t0


async def round_ws(url: str, names: list[str]) -> list[float]:
    start = asyncio.Event()
    tasks = [asyncio.create_task(one_ws_user(url, n, start)) for n in names]
    await asyncio.sleep(0.2)
    start.set()
    return list(await asyncio.gather(*tasks))


async def round_(url: str, names: list[str]) -> list[float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        start = asyncio.Event()
        tasks = [asyncio.create_task(one_user(browser, url, n, start)) for n in names]
        await asyncio.sleep(1.0)  # every context open and waiting
        start.set()
        times = await asyncio.gather(*tasks)
        await browser.close()
    return list(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--users", type=int, nargs="*", default=[1, 4, 8])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cold", action="store_true", help="measure on a server that has served nobody yet")
    ap.add_argument("--client", choices=["websocket", "chromium"], default="websocket")
    a = ap.parse_args()
    names = make_users(a.db, max(a.users))
    rows = []
    for n in a.users:
        times: list[float] = []
        for _ in range(a.rounds):
            app = App(a.db)
            try:
                measure = round_ws if a.client == "websocket" else round_
                if not a.cold:  # a server that has been up: its modules loaded, the data read once
                    asyncio.run(measure(f"{app.url}/", ["loadprov"]))
                times += asyncio.run(measure(f"{app.url}/", names[:n]))
            finally:
                app.stop()
        rows.append((n, statistics.median(times), max(times), len(times)))
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores; {dt.date.today()}; database {a.db.name}; "
        f"client {a.client}; {a.rounds} rounds per N, a fresh server each round"
        f"{' (cold)' if a.cold else ', warmed by one province sign-in'}.\n"
    )
    print("| city users signing in at the same moment | overview ready, median s | worst s | sessions measured |")
    print("|---|---|---|---|")
    for n, med, worst, count in rows:
        print(f"| {n} | {med:.2f} | {worst:.2f} | {count} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
