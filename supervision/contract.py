"""The input contract of SPEC §4: files, canonical columns, their Chinese headers and keys.

This is the one place that knows the export's shape; the SQL of each file's checks lives in
`queries/import/shape_<file>.sql`.
"""

from __future__ import annotations

# A column's Chinese header is the same in every file (SPEC §4).
CHINESE_HEADERS: dict[str, str] = {
    "city_code": "地市编码",
    "city_name": "地市",
    "district_code": "区县编码",
    "district_name": "区县",
    "manager_id": "客户经理编码",
    "manager_name": "客户经理",
    "role": "角色",
    "customer_id": "集团编码",
    "customer_name": "集团名称",
    "tier": "客户等级",
    "chief_manager_id": "首席客户经理编码",
    "industry": "行业",
    "member_count": "集团成员数",
    "onboard_date": "入网日期",
    "lost_date": "离网日期",  # SPEC §12, optional: the customer left (empty = still a customer)
    "effective_from": "生效日期",
    "member_id": "成员编码",
    "member_name": "成员姓名",
    "member_role": "成员属性",
    "birthday": "生日",
    "record_id": "记录编号",
    "service_code": "服务类型",
    "channel": "渠道",
    "service_time": "服务时间",
    "status": "状态",
    "note": "备注",
    "complaint_id": "投诉编号",
    "received_at": "受理时间",
    "first_contact_at": "首次联系时间",
    "resolved_at": "办结时间",
    "return_visit_at": "回访时间",
    "satisfaction": "满意度",
    "dissatisfied_reason": "不满意原因",
    "category": "投诉类别",
    # SPEC §12: work orders, their return visits, inspections, and the complaint's escalation
    "escalated": "是否越级",
    "order_id": "工单编号",
    "order_type": "工单类型",
    "completed_at": "竣工时间",
    "visit_id": "回访编号",
    "method": "回访方式",
    "result": "回访结果",
    "inspection_id": "检查编号",
    "level": "检查层级",
    "inspected_at": "检查日期",
}
FROM_CHINESE = {zh: col for col, zh in CHINESE_HEADERS.items()}

# Import order matters: references are checked against what is stored, and each file's accepted rows are
# stored before the next file is judged (a service log may name a customer accepted in this same import).
FILES: dict[str, dict] = {
    "org_units": {
        "columns": ["city_code", "city_name", "district_code", "district_name"],
        "key": ["district_code"],
    },
    "managers": {
        "columns": ["manager_id", "manager_name", "role", "city_code", "district_code"],
        "key": ["manager_id"],
    },
    "customers": {
        "columns": [
            "customer_id",
            "customer_name",
            "tier",
            "city_code",
            "district_code",
            "manager_id",
            "chief_manager_id",
            "industry",
            "member_count",
            "onboard_date",
        ],
        # optional (SPEC §12): the day the customer left; the chief manager's retention reads it
        "optional": ["lost_date"],
        "key": ["customer_id"],
    },
    "tier_history": {
        "columns": ["customer_id", "tier", "effective_from"],
        "key": ["customer_id", "effective_from"],
    },
    "members": {
        "columns": ["member_id", "customer_id", "member_name", "member_role", "birthday"],
        "key": ["member_id"],
    },
    "service_logs": {
        "columns": [
            "record_id",
            "customer_id",
            "member_id",
            "manager_id",
            "service_code",
            "channel",
            "service_time",
            "status",
            "note",
        ],
        "key": ["record_id"],
    },
    "complaints": {
        "columns": [
            "complaint_id",
            "customer_id",
            "manager_id",
            "received_at",
            "first_contact_at",
            "resolved_at",
            "return_visit_at",
            "satisfaction",
            "dissatisfied_reason",
        ],
        # optional columns (SPEC §4, §12): an export without them is read as if they were empty
        "optional": ["category", "escalated"],
        "key": ["complaint_id"],
    },
    # SPEC §12, each file optional: imported after the §4 files, in this order (a visit may name an order of the
    # same import). A province that exports none of them sees "no data" on their measures.
    "work_orders": {
        "columns": ["order_id", "customer_id", "order_type", "completed_at"],
        "optional": ["manager_id"],
        "key": ["order_id"],
    },
    "return_visits": {
        "columns": ["visit_id", "order_id", "return_visit_at", "method", "result"],
        "optional": ["dissatisfied_reason"],
        "key": ["visit_id"],
    },
    "inspections": {
        "columns": ["inspection_id", "level", "city_code", "inspected_at"],
        "optional": ["district_code"],  # required in a centre inspection's row, empty otherwise
        "key": ["inspection_id"],
    },
}
# the files of SPEC §12 whose absence means "no data" for the measures that read them
S12_FILES = ("work_orders", "return_visits", "inspections")

MEASURES = ("compliance", "complaints", "greetings", "overservice")  # SPEC §8's four
# SPEC §12's measures, reported like §8's (same options, sorting and rates); each reads its own files
S12_MEASURES = ("returnvisits", "inspections", "complaintquality")
MEASURE_FILES = {"returnvisits": "work_orders", "inspections": "inspections"}  # no file ever imported: no data
# levels a measure refuses (exit 2): inspections belong to places, not to managers or tiers
REFUSED_LEVELS = {"inspections": ("manager", "tier")}
LEVELS = ("province", "city", "district", "manager", "tier", "service")
LEVEL_KEYS: dict[str, list[str]] = {
    "province": [],
    "city": ["city_code"],
    "district": ["city_code", "district_code"],
    "manager": ["manager_id"],
    "tier": ["tier"],
    "service": ["service_code"],
}


def columns(name: str) -> list[str]:
    """Every column of one file, the required ones first, then the optional ones."""
    return FILES[name]["columns"] + FILES[name].get("optional", [])


def canonical_header(cell: str) -> str | None:
    """Map one header cell (canonical or Chinese, any case/whitespace/BOM) to its canonical name."""
    name = cell.strip().lstrip("\ufeff").strip()
    if name.lower() in CHINESE_HEADERS:
        return name.lower()
    return FROM_CHINESE.get(name)
