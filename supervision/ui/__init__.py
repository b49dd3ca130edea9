"""What every page shares: the read-only connection, cached queries, the sidebar (language, period, as-of),
translations, labels, exports and drill-down navigation. Pages hold no SQL and no business rules.

Pages write `from supervision import ui` and call `ui.query(...)`, `ui.t(...)`, `ui.table(...)`: this package
re-exports the public names of its modules, one module per seam, each importing the others directly (never
this file), in this order:

    data       the read-only connection, cached queries and reports, the data stamp
    labels     the reader's language, texts, code labels, plain text inside Markdown
    session    the signed-in reader, their scope, the audit log, what data is live
    url        widgets bound to the URL
    sidebar    language, period and as-of in the sidebar; drill-down links carrying the window
    tables     tables as the reader reads them, rate bars, tier and status colours, empty states
    downloads  exports with provenance, the commands that reproduce a page
    marks      data completeness marks and obligations at risk (SPEC §10)
    scaffold   the page's window, title and names, organisation pickers, rankings, evidence
    guard      sign-in and the scope guard (SPEC §7)

A test that replaces a function must replace it in the module that calls it (`ui.data.cursor`, not
`ui.cursor`): each module holds its own reference to what it imports.
"""

from supervision.ui.data import FILTERS, cursor, data_changed, db_path, missing_file, query, report, stamp
from supervision.ui.downloads import digest, export_buttons, provenance, replay_panel, report_commands
from supervision.ui.guard import (
    chrome_text,
    client,
    current_user,
    log_view,
    outside_scope,
    resume,
    scope_name,
    sign_in_form,
    sign_out,
    sync_cookie,
    who_panel,
)
from supervision.ui.labels import label, lang, plain, status_label, t, vocab
from supervision.ui.marks import at_risk, at_risk_column, data_flags, flag_column, marks
from supervision.ui.scaffold import (
    evidence_panel,
    header,
    names,
    org_filters,
    page_window,
    place_name,
    ranking,
    section12_page,
    selected_row,
)
from supervision.ui.session import audit, data_info, require_writer, scope, user
from supervision.ui.sidebar import go, link, sidebar, window_params
from supervision.ui.tables import (
    RATE_COLUMNS,
    RATE_SCALE,
    STATUS_COLORS,
    TIER_PALETTE,
    empty_state,
    pct,
    points,
    rate_column,
    readable,
    table,
    tier_colors,
    tier_order,
)
from supervision.ui.url import choice

__all__ = [
    "FILTERS",
    "RATE_COLUMNS",
    "RATE_SCALE",
    "STATUS_COLORS",
    "TIER_PALETTE",
    "at_risk",
    "at_risk_column",
    "audit",
    "chrome_text",
    "choice",
    "client",
    "current_user",
    "cursor",
    "data_flags",
    "data_info",
    "db_path",
    "digest",
    "empty_state",
    "evidence_panel",
    "export_buttons",
    "flag_column",
    "go",
    "header",
    "label",
    "lang",
    "link",
    "log_view",
    "marks",
    "missing_file",
    "data_changed",
    "names",
    "org_filters",
    "outside_scope",
    "page_window",
    "pct",
    "plain",
    "points",
    "provenance",
    "query",
    "place_name",
    "ranking",
    "section12_page",
    "rate_column",
    "readable",
    "replay_panel",
    "report",
    "report_commands",
    "require_writer",
    "resume",
    "scope",
    "scope_name",
    "selected_row",
    "sidebar",
    "sign_in_form",
    "sign_out",
    "stamp",
    "status_label",
    "sync_cookie",
    "t",
    "table",
    "tier_colors",
    "tier_order",
    "user",
    "vocab",
    "who_panel",
    "window_params",
]
