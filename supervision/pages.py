"""The page registry: every page of the dashboard once — its path (the file app_pages/<path>.py and the URL),
title key, icon, navigation section and the roles that may open it (SPEC §7). dashboard.py builds the
navigation from it, a page's own guard asks it (`may_open`), and the tests list the pages from it.
A leaf module: it imports nothing of the project and nothing of Streamlit."""

from __future__ import annotations

from dataclasses import dataclass

ALL_ROLES = ("province", "city", "district", "auditor")


@dataclass(frozen=True)
class PageInfo:
    path: str  # app_pages/<path>.py, served at /<path> (the default page also at /)
    title: str  # i18n key of the navigation title
    icon: str
    section: str  # i18n key of the navigation section
    roles: tuple[str, ...] = ALL_ROLES

    @property
    def file(self) -> str:
        return f"app_pages/{self.path}.py"


PAGES = (
    PageInfo("overview", "nav_overview", ":material/map:", "sec_view"),
    PageInfo("city", "nav_city", ":material/location_city:", "sec_view"),
    PageInfo("managers", "nav_managers", ":material/badge:", "sec_view"),
    PageInfo("customer", "nav_customer", ":material/apartment:", "sec_view"),
    PageInfo("returnvisits", "nav_returnvisits", ":material/support_agent:", "sec_view"),  # SPEC §12
    PageInfo("inspections", "nav_inspections", ":material/checklist:", "sec_view"),  # SPEC §12
    PageInfo("due", "nav_due", ":material/event_upcoming:", "sec_work"),
    PageInfo("audit", "nav_audit", ":material/policy:", "sec_work"),
    PageInfo("brief", "nav_brief", ":material/summarize:", "sec_work"),
    PageInfo("alerts", "nav_alerts", ":material/notifications:", "sec_work"),
    PageInfo("standards", "nav_standards", ":material/rule:", "sec_admin"),
    # imports change the data: province users only; auditors read the log but never write (SPEC §7)
    PageInfo("data_import", "nav_import", ":material/upload_file:", "sec_admin", ("province",)),
    PageInfo("audit_log", "nav_audit_log", ":material/history:", "sec_admin", ("auditor", "province")),
)
DEFAULT = "overview"
PATHS = tuple(p.path for p in PAGES)


def for_role(role: str) -> list[PageInfo]:
    """The pages a role may open, in navigation order."""
    return [p for p in PAGES if role in p.roles]


def may_open(role: str | None, path: str) -> bool:
    return any(p.path == path and role in p.roles for p in PAGES)
