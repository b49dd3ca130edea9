#!/usr/bin/env python3
"""Deterministic generator of a realistic, deliberately dirty CRM export (SPEC §2–§4).

It writes the seven export files of SPEC §4 for a Liaoning-sized province — org_units.csv,
managers.csv, customers.csv, tier_history.csv, members.csv, service_logs.csv and complaints.csv —
into an output folder.  No standards.csv: the app ships its own defaults (SPEC §3).

    python sample_data/generate.py --out DIR [--customers 20000] [--logs 1000000]
        [--complaints 3000] [--seed 20261125] [--as-of 2026-11-20] [--clean]

`--logs` and `--complaints` are the exact numbers of data lines (header excluded) written to
service_logs.csv and complaints.csv, dirt included.  The same arguments always give byte-identical
files: every random draw comes from generators seeded by (seed, component name); nothing reads the
clock or the global random state.  See sample_data/README.md for what is generated and where the
dirt is.

Standard library + numpy only.  service_logs.csv is produced month by month and written in chunks,
so memory stays flat whatever `--logs` is (10,000,000 works).
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import os
import random
import sys
import time
import zlib
from dataclasses import dataclass, field

import numpy as np

# --------------------------------------------------------------------------------------------
# Reference data (SPEC §2 / §3)
# --------------------------------------------------------------------------------------------

DATA_START = dt.date(2025, 12, 1)  # first day of the exported service-log window

# fmt: off
# 14 cities of Liaoning with their districts and GB/T 2260 codes, in the order of SPEC §2.
CITIES: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("2101", "沈阳", [("210102", "和平区"), ("210103", "沈河区"), ("210104", "大东区"),
                    ("210105", "皇姑区"), ("210106", "铁西区"), ("210111", "苏家屯区"),
                    ("210112", "浑南区"), ("210113", "沈北新区"), ("210114", "于洪区"),
                    ("210115", "辽中区"), ("210123", "康平县"), ("210124", "法库县"),
                    ("210181", "新民市")]),
    ("2102", "大连", [("210202", "中山区"), ("210203", "西岗区"), ("210204", "沙河口区"),
                    ("210211", "甘井子区"), ("210212", "旅顺口区"), ("210213", "金州区"),
                    ("210214", "普兰店区"), ("210224", "长海县"), ("210281", "瓦房店市"),
                    ("210283", "庄河市")]),
    ("2103", "鞍山", [("210302", "铁东区"), ("210303", "铁西区"), ("210304", "立山区"),
                    ("210311", "千山区"), ("210321", "台安县"), ("210323", "岫岩满族自治县"),
                    ("210381", "海城市")]),
    ("2104", "抚顺", [("210402", "新抚区"), ("210403", "东洲区"), ("210404", "望花区"),
                    ("210411", "顺城区"), ("210421", "抚顺县"), ("210422", "新宾满族自治县"),
                    ("210423", "清原满族自治县")]),
    ("2105", "本溪", [("210502", "平山区"), ("210503", "溪湖区"), ("210504", "明山区"),
                    ("210505", "南芬区"), ("210521", "本溪满族自治县"), ("210522", "桓仁满族自治县")]),
    ("2106", "丹东", [("210602", "元宝区"), ("210603", "振兴区"), ("210604", "振安区"),
                    ("210624", "宽甸满族自治县"), ("210681", "东港市"), ("210682", "凤城市")]),
    ("2107", "锦州", [("210702", "古塔区"), ("210703", "凌河区"), ("210711", "太和区"),
                    ("210726", "黑山县"), ("210727", "义县"), ("210781", "凌海市"),
                    ("210782", "北镇市")]),
    ("2108", "营口", [("210802", "站前区"), ("210803", "西市区"), ("210804", "鲅鱼圈区"),
                    ("210811", "老边区"), ("210881", "盖州市"), ("210882", "大石桥市")]),
    ("2109", "阜新", [("210902", "海州区"), ("210903", "新邱区"), ("210904", "太平区"),
                    ("210905", "清河门区"), ("210911", "细河区"), ("210921", "阜新蒙古族自治县"),
                    ("210922", "彰武县")]),
    ("2110", "辽阳", [("211002", "白塔区"), ("211003", "文圣区"), ("211004", "宏伟区"),
                    ("211005", "弓长岭区"), ("211011", "太子河区"), ("211021", "辽阳县"),
                    ("211081", "灯塔市")]),
    ("2111", "盘锦", [("211102", "双台子区"), ("211103", "兴隆台区"), ("211104", "大洼区"),
                    ("211122", "盘山县")]),
    ("2112", "铁岭", [("211202", "银州区"), ("211204", "清河区"), ("211221", "铁岭县"),
                    ("211223", "西丰县"), ("211224", "昌图县"), ("211281", "调兵山市"),
                    ("211282", "开原市")]),
    ("2113", "朝阳", [("211302", "双塔区"), ("211303", "龙城区"), ("211321", "朝阳县"),
                    ("211322", "建平县"), ("211324", "喀喇沁左翼蒙古族自治县"), ("211381", "北票市"),
                    ("211382", "凌源市")]),
    ("2114", "葫芦岛", [("211402", "连山区"), ("211403", "龙港区"), ("211404", "南票区"),
                     ("211421", "绥中县"), ("211422", "建昌县"), ("211481", "兴城市")]),
]
# Relative size of each city's group-customer base (沈阳 and 大连 dominate).
CITY_WEIGHT = [0.20, 0.18, 0.08, 0.055, 0.04, 0.05, 0.06, 0.06, 0.04, 0.045, 0.045, 0.05, 0.05, 0.05]

TIERS = ["A+", "A", "B", "C"]
TIER_SHARE = [0.05, 0.15, 0.35, 0.45]

# Services, in the order used by every array below.
VISIT, TRAINING, NETWORK, SOCIAL, VIP, CHIEF, TRIAL, GREETING = range(8)
SERVICE_CODES = ["visit", "training", "network_test", "social_event", "vip_event",
                 "chief_visit", "trial", "greeting"]
SERVICE_ZH = ["上门拜访", "移动业务培训", "网络监测", "联谊活动", "贵宾服务", "首席拜访", "业务优先试用", "生日问候"]
N_SERV = 7  # services planned through the count array (greeting is planned per member)

# Frequency standards of SPEC §3: (service, tier index) -> (N records, P months).
REQUIRED: dict[tuple[int, int], tuple[int, int]] = {
    (VISIT, 0): (2, 1), (VISIT, 1): (1, 1), (VISIT, 2): (1, 2), (VISIT, 3): (1, 3),
    (TRAINING, 0): (1, 3), (TRAINING, 1): (1, 6), (TRAINING, 2): (1, 12),
    (NETWORK, 0): (1, 3), (NETWORK, 1): (1, 6),
    (SOCIAL, 0): (1, 12), (SOCIAL, 1): (1, 12), (SOCIAL, 2): (1, 12),
    (VIP, 0): (1, 12), (VIP, 1): (1, 12),
    (CHIEF, 0): (1, 6), (CHIEF, 1): (1, 6), (CHIEF, 2): (1, 12),
}
# Unmeasured cells (market / "—" / entitled / not_entitled): records per customer per year.
OPTIONAL_RATE: dict[tuple[int, int], float] = {
    (TRAINING, 3): 0.5, (NETWORK, 2): 1.0, (NETWORK, 3): 0.15, (SOCIAL, 3): 0.3,
    (VIP, 2): 0.5, (VIP, 3): 0.1, (CHIEF, 3): 0.1,
    (TRIAL, 0): 1.5, (TRIAL, 1): 0.8,          # entitled
    (TRIAL, 2): 0.06, (TRIAL, 3): 0.02,        # not entitled: over-service (× manager generosity)
}
# Probability that a diligent-as-average manager meets one obligation of the service.
BASE_MET = {VISIT: 0.93, TRAINING: 0.84, NETWORK: 0.80, SOCIAL: 0.88, VIP: 0.86, CHIEF: 0.86}
GREETING_ON_TIME = 0.82
TIER_VISIT_WEIGHT = np.array([3.0, 2.0, 1.0, 0.6])  # how extra visits spread over tiers

A_PLUS_IND = ["银行", "电力", "石油"]
A_IND = ["水务", "交通运输", "保险", "医疗"]
B_IND = ["贸易", "建筑", "制造"]
OTHER_IND = ["餐饮", "物业", "教育", "政府", "零售", "科技", "酒店", "农业", "文化传媒", "房地产"]
IND_CODE = {"银行": "banking", "电力": "power", "石油": "petroleum", "水务": "water",
            "交通运输": "transport", "保险": "insurance", "医疗": "medical", "贸易": "trade",
            "建筑": "construction", "制造": "manufacturing"}

# Member roles: code, Chinese label, group label (important ones only).
ROLE_IL, ROLE_IC, ROLE_GL, ROLE_IT, ROLE_REG, ROLE_VIP, ROLE_INF, ROLE_M2M = range(8)
ROLE_LABELS = [
    (["important_leader", "重要领导", "重要核心成员"], [0.25, 0.5, 0.25]),
    (["important_contact", "重要联系人", "重要核心成员"], [0.25, 0.5, 0.25]),
    (["general_leader", "一般领导", "重要普通成员"], [0.25, 0.5, 0.25]),
    (["it_contact", "信息化联系人", "重要普通成员"], [0.25, 0.5, 0.25]),
    (["regular", "普通正式成员"], [0.3, 0.7]),
    (["vip", "VIP客户"], [0.3, 0.7]),
    (["informal", "非正式成员"], [0.3, 0.7]),
    (["machine", "机器成员"], [0.3, 0.7]),
]

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
            "薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武"
            "乔贺赖龚文关佟那")
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
         "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建国", "建华", "志刚", "海涛", "晓东", "小红", "卫东",
         "国庆", "玉兰", "淑珍", "丽娟", "春梅", "宏", "鹏", "飞", "斌", "雪", "琳", "博", "宇", "浩", "婷",
         "欣", "悦", "晨", "阳", "志强", "永刚", "红梅", "晓燕", "文博", "子涵", "思远", "佳琪", "立新", "德胜",
         "凤兰", "树林", "长江", "海燕", "雨桐", "俊杰", "晓明", "春雷", "玉梅", "成", "亮", "雷", "健", "颖"]
KEYWORDS = ["鑫隆", "华信", "恒达", "金泰", "宏远", "盛达", "东方", "北方", "辽河", "海韵", "天成", "顺通",
            "瑞丰", "永盛", "宏发", "诚信", "新华", "明珠", "亿丰", "鼎盛", "康泰", "博远", "正大", "嘉禾",
            "汇通", "安泰", "万通", "德润", "福源", "广源", "泰和", "金桥", "银河", "长城", "龙腾", "华夏",
            "中联", "友谊", "光明", "振华", "兴辽", "奉天", "渤海", "白山", "黑土", "凯达", "信诚", "众合",
            "启航", "远航", "蓝海", "金穗", "绿源", "佳禾", "润泽", "丰泽", "益民", "惠民", "利民", "和顺"]
BANKS = ["工商银行", "建设银行", "农业银行", "中国银行", "交通银行", "招商银行", "兴业银行", "民生银行",
         "光大银行", "邮政储蓄银行", "盛京银行", "农村商业银行", "浦发银行", "中信银行"]
NAME_TEMPLATES: dict[str, list[str]] = {
    "银行": ["{bank}{city}{dist}支行", "{city}{dist}{bank}营业部", "{bank}{city}分行{kw}路支行"],
    "电力": ["国网{city}供电公司{dist}供电分公司", "{city}{kw}热电有限公司", "{city}{kw}电力工程有限公司",
           "华能{city}{kw}发电有限公司"],
    "石油": ["中国石油{city}销售分公司{dist}营业部", "中石化{city}石油分公司{kw}加油站", "{city}{kw}石化有限公司",
           "{city}{kw}油气储运有限公司"],
    "水务": ["{city}{dist}自来水有限公司", "{city}{kw}水务集团有限公司", "{city}{dist}污水处理有限公司"],
    "交通运输": ["{city}{kw}运输有限公司", "{city}{kw}港航运输有限公司", "{city}公交集团{dist}分公司",
             "{city}{kw}客运有限公司"],
    "保险": ["中国人寿{city}分公司{dist}支公司", "平安财险{city}{dist}营销服务部", "{city}{kw}保险代理有限公司",
           "太平洋保险{city}{kw}支公司"],
    "医疗": ["{city}市{dist}中心医院", "{city}{kw}医院", "{city}{kw}医药连锁有限公司", "{city}市{dist}妇幼保健院"],
    "贸易": ["{city}{kw}商贸有限公司", "{city}{kw}进出口贸易有限公司", "{city}{dist}{kw}贸易有限公司"],
    "建筑": ["{city}{kw}建工集团有限公司", "{city}{kw}建筑工程有限公司", "{city}{dist}{kw}建设有限公司"],
    "制造": ["{city}{kw}机械制造有限公司", "{city}{kw}重工有限公司", "{city}{kw}汽车零部件有限公司",
           "{city}{kw}精密铸造有限公司"],
    "餐饮": ["{city}{dist}{kw}餐饮有限公司", "{city}{kw}酒楼", "{city}{dist}{kw}饭店"],
    "物业": ["{city}{dist}{kw}物业管理有限公司", "{city}{kw}智慧物业管理有限公司"],
    "教育": ["{city}市{dist}第{n}中学", "{city}{kw}职业技术学院", "{city}{dist}{kw}小学", "{city}{kw}培训学校"],
    "政府": ["{city}市{dist}人民政府", "{city}市{dist}{dept}", "{city}市{dept}"],
    "零售": ["{city}{kw}超市有限公司", "{city}{dist}{kw}连锁便利店"],
    "科技": ["{city}{kw}科技有限公司", "{city}{kw}信息技术有限公司", "{city}{kw}软件有限公司"],
    "酒店": ["{city}{kw}大酒店", "{city}{dist}{kw}宾馆"],
    "农业": ["{city}{kw}农业发展有限公司", "{city}{dist}{kw}农民专业合作社"],
    "文化传媒": ["{city}{kw}文化传媒有限公司", "{city}{kw}广告有限公司"],
    "房地产": ["{city}{kw}房地产开发有限公司", "{city}{kw}置业有限公司"],
}
DEPTS = ["税务局", "公安分局", "教育局", "交通运输局", "市场监督管理局", "人力资源和社会保障局", "住房和城乡建设局",
         "卫生健康委员会", "应急管理局", "自然资源局", "生态环境局"]

NOTES: dict[int, list[str]] = {
    VISIT: ["季度走访", "年度服务计划沟通", "收集需求", "节前走访", "春节慰问", "新入网客户首次拜访", "续约洽谈",
            "宽带提速需求确认", "专线故障回访", "了解集团扩编情况", "沟通5G专网方案", "“云视讯”使用情况回访",
            "例行拜访", "账单核对", "客户反映信号差，已报障"],
    TRAINING: ["云盘培训", "视频彩铃培训", "安全生产视频监控培训", "5G消息培训", "和对讲使用培训", "移动办公培训",
               "物联网卡管理平台培训"],
    NETWORK: ["办公楼信号测试", "码头信号测试", "厂区5G覆盖测试", "营业厅内信号测试", "专线质量监测", "彩信成功率测试",
              "机房巡检"],
    SOCIAL: ["羽毛球友谊赛", "篮球友谊赛", "参观5G展厅", "读书分享会", "健康讲座", "户外拓展"],
    VIP: ["财税讲座", "商务论坛", "贵宾俱乐部活动", "高尔夫邀请赛", "新品发布会"],
    CHIEF: ["首席经理拜访总经理", "首席拜访行长", "省公司首席经理陪同拜访", "首席经理拜访分管领导"],
    TRIAL: ["5G专网试用", "云电脑试用", "5G消息试用", "千兆宽带试用", "视频会议试用"],
    GREETING: ["生日当天送花", "提前送蛋糕", "送生日贺卡", "鲜花+贺卡", "生日当晚送蛋糕", "电话问候后上门送礼"],
}
# Notes with an ASCII comma (one with doubled quotes too): written quoted, valid CSV that must be
# accepted; about 1% of the records.
COMMA_NOTES: dict[int, list[str]] = {
    VISIT: ["客户要求,下次带报价方案", "沟通升级后的服务内容,确认首席经理", "走访财务部,核对账单"],
    TRAINING: ["云电脑培训,现场答疑", '培训"和对讲"功能,共15人'],
    NETWORK: ["地下车库信号测试,需补点"],
    SOCIAL: ["篮球友谊赛,双方各10人"],
    VIP: ["财税讲座,邀请3位高管"],
    CHIEF: ["年度战略合作沟通,首席牵头"],
    TRIAL: ["和对讲试用,期限3个月"],
    GREETING: ["送花,贺卡"],
}
COMMA_NOTE_SHARE = 0.01
CANCEL_NOTES = ["客户临时开会，取消", "客户出差，改期", "联系人休假，取消", "天气原因取消", "客户要求改期", "重复录入，作废"]
# Written WITHOUT quotes on purpose: the broken lines with one field too many.
BROKEN_NOTES = ["客户要求,下次带报价方案", "现场测试,信号良好", "已沟通,待回复", "培训,共20人参加", "补录,漏记"]
CONFLICT_NOTES = ["改期补录", "信息更正", "客户确认取消"]
DISSATISFIED_REASONS = ["处理周期过长，需多次催办", "故障反复出现", "资费解释不清楚", "上门不及时", "客服态度一般",
                        "问题未彻底解决", "回访太晚", "网络信号仍然差,未解决"]
CHANNELS = ["上门", "现场", "电话", "线上"]
MANAGER_ROLE_LABELS = {"am": ("account_manager", "客户经理"), "chief": ("chief_account_manager", "首席客户经理"),
                       "dh": ("phone_manager", "电话经理"), "sa": ("sa", "集团SA")}
SATISFACTION = [("very_satisfied", "非常满意"), ("satisfied", "满意"), ("dissatisfied", "不满意"),
                ("unreachable", "未接通")]
COMPLAINT_LEVEL_LIMITS = {1: (2, 24), 2: (4, 48), 3: (8, 72)}  # hours: first contact, resolved
TIER_LEVEL = [1, 2, 3, 3]  # complaint level by tier index (A+ → 1, A → 2, B and C → 3)
# fmt: on

CHUNK = 200_000  # service-log lines per write (bounds memory whatever --logs is)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def np_rng(seed: int, name: str) -> np.random.Generator:
    """A numpy Generator of its own for one component (stable across runs and platforms)."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def py_rng(seed: int, name: str) -> random.Random:
    """A random.Random of its own for one component (string seeds hash with sha512: stable)."""
    return random.Random(f"{seed}:{name}")


def csv_field(text: str) -> str:
    """Quote a field the way a CSV writer would (only when needed)."""
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def date_formats(d: dt.date) -> tuple[str, str, str]:
    """`2026-03-05`, `2026/3/5`, `20260305` for one date."""
    return (
        f"{d.year:04d}-{d.month:02d}-{d.day:02d}",
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year:04d}{d.month:02d}{d.day:02d}",
    )


def fmt_datetime(d: dt.date, minute: int, style: int) -> str:
    """One timestamp in one of the export's styles (see DATETIME_STYLES)."""
    iso, slash, compact = date_formats(d)
    hm = f"{minute // 60:02d}:{minute % 60:02d}"
    return [
        f"{iso} {hm}",
        f"{slash} {hm}",
        f"{iso} {hm}:00",
        compact,
        slash,
        f"{compact} {hm}",
    ][style]


# Timestamp styles: 0 `2026-03-05 14:30`, 1 `2026/3/5 14:30`, 2 `2026-03-05 14:30:00`,
# 3 `20260305`, 4 `2026/3/5`, 5 `20260305 14:30`.
DATETIME_STYLE_P = np.array([0.62, 0.14, 0.12, 0.03, 0.03, 0.06])


def minute_weights() -> np.ndarray:
    """Probability of each minute of the day for a service record (office hours, round times)."""
    w = np.zeros(1440)
    for m in range(1440):
        h = m // 60
        if 9 <= h < 12 or (13 <= h < 18 and m >= 13 * 60 + 30):
            base = 4.0
        elif h == 8:
            base = 1.0
        elif h == 12 or h == 13:
            base = 0.7
        elif 18 <= h < 21:
            base = 0.6
        elif h >= 21:
            base = 0.1
        else:
            base = 0.02
        mm = m % 60
        q = (
            8.0
            if mm == 0
            else 4.0
            if mm == 30
            else 2.0
            if mm % 10 == 0
            else 1.2
            if mm % 5 == 0
            else 0.3
        )
        w[m] = base * q
    return w / w.sum()


def person_name(r: random.Random) -> str:
    return r.choice(SURNAMES) + r.choice(GIVEN)


def short_district(name: str) -> str:
    special = {
        "喀喇沁左翼蒙古族自治县": "喀左",
        "阜新蒙古族自治县": "阜蒙",
        "沈北新区": "沈北",
    }
    if name in special:
        return special[name]
    for suffix in ("满族自治县", "蒙古族自治县"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name[:-1] if len(name) > 2 else name


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integers proportional to `weights` (exact sum, deterministic)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


# --------------------------------------------------------------------------------------------
# The model: organisation, managers, customers, members
# --------------------------------------------------------------------------------------------


@dataclass
class World:
    seed: int
    as_of: dt.date
    # organisation
    districts: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # city code, city, dcode, dname
    # managers
    mgr_ids: list[str] = field(default_factory=list)
    mgr_names: list[str] = field(default_factory=list)
    mgr_role: list[str] = field(default_factory=list)  # am / chief / dh / sa
    mgr_city: list[int] = field(default_factory=list)
    mgr_district: list[int] = field(default_factory=list)
    mgr_factor: np.ndarray | None = None  # own diligence
    mgr_generosity: np.ndarray | None = None  # over-service propensity
    city_chiefs: list[list[int]] = field(default_factory=list)
    city_dh: list[list[int]] = field(default_factory=list)
    city_sa: list[list[int]] = field(default_factory=list)
    city_ams: list[list[int]] = field(default_factory=list)
    city_factor: np.ndarray | None = None
    district_factor: np.ndarray | None = None
    # customers (arrays of length n)
    n: int = 0
    cust_ids: list[str] = field(default_factory=list)
    cust_names: list[str] = field(default_factory=list)
    tier: np.ndarray | None = None  # current tier index
    city: np.ndarray | None = None
    district: np.ndarray | None = None
    am: np.ndarray | None = None  # manager index
    chief: np.ndarray | None = None  # manager index or -1
    industry: list[str] = field(default_factory=list)
    member_count: np.ndarray | None = None
    onboard: np.ndarray | None = None  # day index relative to DATA_START
    # tier history (per customer; sentinel 10**6 when absent)
    hist_orig_day: np.ndarray | None = None
    hist_old_tier: np.ndarray | None = None
    hist_change_day: np.ndarray | None = None
    # members
    mem_ids: list[str] = field(default_factory=list)
    mem_cust: list[int] = field(default_factory=list)
    mem_role: list[int] = field(default_factory=list)
    mem_birth: list[dt.date | None] = field(default_factory=list)
    mem_start: np.ndarray | None = None  # first member index of each customer
    mem_n_imp: np.ndarray | None = None  # important members (listed first)

    def day(self, d: dt.date) -> int:
        return d.toordinal() - DATA_START.toordinal()

    def date(self, day: int) -> dt.date:
        return dt.date.fromordinal(DATA_START.toordinal() + day)

    def tier_at(self, day: int) -> np.ndarray:
        """Tier index of every customer on a day, by the rule of SPEC §5 and the rows we write."""
        t = self.tier.copy()
        t = np.where(day >= self.hist_orig_day, self.hist_old_tier, t)
        t = np.where(day >= self.hist_change_day, self.tier, t)
        return t

    def am_factor(self) -> np.ndarray:
        """Diligence behind each customer's account-manager work (city × district × manager)."""
        return (
            self.city_factor[self.city]
            * self.district_factor[self.district]
            * self.mgr_factor[self.am]
        )


def build_world(seed: int, n_customers: int, as_of: dt.date) -> World:
    w = World(seed=seed, as_of=as_of)
    rn = np_rng(seed, "world")
    rp = py_rng(seed, "names")

    # --- organisation
    city_district_idx: list[list[int]] = []
    for ci, (ccode, cname, dists) in enumerate(CITIES):
        idxs = []
        for dcode, dname in dists:
            idxs.append(len(w.districts))
            w.districts.append((ccode, cname, dcode, dname))
        city_district_idx.append(idxs)
    n_dist = len(w.districts)

    # --- diligence: cities get a clear ranking, districts and managers vary around it
    city_levels = np.linspace(0.84, 1.05, len(CITIES))
    w.city_factor = rn.permutation(city_levels)
    w.district_factor = np.clip(rn.normal(1.0, 0.05, n_dist), 0.86, 1.10)

    # --- customers per city and district
    per_city = largest_remainder(n_customers, CITY_WEIGHT)
    cust_city: list[int] = []
    cust_dist: list[int] = []
    per_district = np.zeros(n_dist, dtype=int)
    for ci, n_c in enumerate(per_city):
        idxs = city_district_idx[ci]
        dw = np.array(
            [(1.6 if w.districts[i][3].endswith("区") else 1.0) for i in idxs]
        )
        dw = dw * rn.uniform(0.6, 1.4, len(idxs))
        alloc = rn.multinomial(n_c, dw / dw.sum())
        for i, k in zip(idxs, alloc):
            per_district[i] += k
            cust_dist.extend([i] * int(k))
            cust_city.extend([ci] * int(k))
    n = len(cust_city)
    w.n = n
    w.city = np.array(cust_city, dtype=np.int64)
    w.district = np.array(cust_dist, dtype=np.int64)
    # shuffle customers inside each city so that ids do not follow districts
    order = np.lexsort((rn.random(n), w.city))
    w.city = w.city[order]
    w.district = w.district[order]

    # --- managers
    def add_mgr(mid: str, role: str, ci: int, di: int) -> int:
        w.mgr_ids.append(mid)
        w.mgr_names.append(person_name(rp))
        w.mgr_role.append(role)
        w.mgr_city.append(ci)
        w.mgr_district.append(di)
        return len(w.mgr_ids) - 1

    district_ams: list[list[int]] = [[] for _ in range(n_dist)]
    for ci, (ccode, _, _) in enumerate(CITIES):
        seq = 0
        ams = []
        for di in city_district_idx[ci]:
            for _ in range(max(1, round(per_district[di] / 82))):
                seq += 1
                m = add_mgr(f"JL{ccode}{seq:03d}", "am", ci, di)
                district_ams[di].append(m)
                ams.append(m)
        w.city_ams.append(ams)
        n_c = per_city[ci]
        main_district = city_district_idx[ci][0]
        w.city_chiefs.append(
            [
                add_mgr(f"SX{ccode}{k + 1:02d}", "chief", ci, main_district)
                for k in range(max(1, min(5, 1 + round(n_c / 1500))))
            ]
        )
        w.city_dh.append(
            [
                add_mgr(
                    f"DH{ccode}{k + 1:02d}",
                    "dh",
                    ci,
                    int(rn.choice(city_district_idx[ci])),
                )
                for k in range(1 + (n_c >= 1500))
            ]
        )
        w.city_sa.append(
            [
                add_mgr(
                    f"SA{ccode}{k + 1:02d}",
                    "sa",
                    ci,
                    int(rn.choice(city_district_idx[ci])),
                )
                for k in range(1 + (n_c >= 3000))
            ]
        )
    n_mgr = len(w.mgr_ids)
    kind = rn.random(n_mgr)
    w.mgr_factor = np.where(
        kind < 0.09,
        rn.uniform(0.55, 0.75, n_mgr),  # clearly weak
        np.where(
            kind < 0.24,
            rn.uniform(1.03, 1.08, n_mgr),  # stars
            np.clip(rn.normal(1.0, 0.04, n_mgr), 0.88, 1.08),
        ),
    )
    w.mgr_generosity = np.where(rn.random(n_mgr) < 0.10, rn.uniform(5, 12, n_mgr), 1.0)

    # --- customer attributes
    w.tier = rn.permutation(np.repeat(np.arange(4), largest_remainder(n, TIER_SHARE)))
    am = np.empty(n, dtype=np.int64)
    chief = np.full(n, -1, dtype=np.int64)
    u = rn.random((n, 3))
    for i in range(n):
        ams = district_ams[w.district[i]]
        am[i] = ams[int(u[i, 0] * len(ams))]
        t = w.tier[i]
        if (
            (t == 0)
            or (t == 1 and u[i, 1] < 0.95)
            or (t == 2 and u[i, 1] < 0.80)
            or (t == 3 and u[i, 1] < 0.03)
        ):
            chiefs = w.city_chiefs[w.city[i]]
            chief[i] = chiefs[int(u[i, 2] * len(chiefs))]
    w.am, w.chief = am, chief

    # industry and member count: mostly what the tier implies, some upgrade candidates
    ra = py_rng(seed, "attributes")
    members = np.zeros(n, dtype=np.int64)
    for i in range(n):
        t = int(w.tier[i])
        x = ra.random()
        if t > 0 and x < 0.07:
            q = t - 1 if (t == 1 or ra.random() < 0.85) else t - 2  # qualifies higher
        elif t < 3 and x < 0.15:
            q = t + 1  # holds more than it qualifies
        else:
            q = t
        ind, mc = _attributes_for(q, ra)
        w.industry.append(ind)
        members[i] = mc
    w.member_count = members

    # onboard dates: mostly years ago, ~3% during 2026
    start_2026 = w.day(dt.date(2026, 1, 1))
    asof_day = w.day(as_of)
    early_lo = w.day(dt.date(2004, 1, 1))
    early_hi = w.day(dt.date(2025, 12, 31))
    recent = rn.random(n) < 0.03
    yrs = rn.beta(2.0, 1.4, n)  # more customers won in recent years
    w.onboard = np.where(
        recent,
        start_2026
        + (rn.random(n) * max(1, asof_day - start_2026 - 10)).astype(np.int64),
        early_lo + (yrs * (early_hi - early_lo)).astype(np.int64),
    )

    # ids and names
    seq_in_city = [0] * len(CITIES)
    used: set[str] = set()
    for i in range(n):
        ci = int(w.city[i])
        seq_in_city[ci] += 1
        w.cust_ids.append(f"JT{CITIES[ci][0]}{seq_in_city[ci]:06d}")
        w.cust_names.append(
            _company_name(
                w.industry[i], CITIES[ci][1], w.districts[w.district[i]][3], rp, used
            )
        )

    # tier history: ~5% change tier during 2026
    sentinel = 10**6
    w.hist_orig_day = np.full(n, sentinel, dtype=np.int64)
    w.hist_old_tier = w.tier.copy()
    w.hist_change_day = np.full(n, sentinel, dtype=np.int64)
    rh = np_rng(seed, "tier_history")
    cand = np.nonzero(w.onboard < start_2026)[0]
    cw = np.array([1.0, 1.5, 1.5, 0.35])[
        w.tier[cand]
    ]  # mostly upgrades: few current C customers
    chosen = np.sort(
        rh.choice(
            cand, size=min(len(cand), round(0.05 * n)), replace=False, p=cw / cw.sum()
        )
    )
    for i in chosen:
        t = int(w.tier[i])
        if t == 0:
            old = 1
        elif t == 3:
            old = 2
        else:
            old = (
                t + 1 if rh.random() < 0.7 else t - 1
            )  # mostly upgrades (old tier is lower)
        if rh.random() < 0.3:  # on the first of a month
            month = int(rh.integers(1, as_of.month + 1))
            change = dt.date(2026, month, 1)
        else:
            change = w.date(int(rh.integers(start_2026, asof_day + 1)))
        w.hist_change_day[i] = w.day(change)
        if rh.random() < 0.75:  # with a row for the original tier
            w.hist_orig_day[i] = w.onboard[i]
            w.hist_old_tier[i] = old

    _build_members(w, seed)
    return w


def _attributes_for(q: int, r: random.Random) -> tuple[str, int]:
    """An industry and member count whose highest qualifying tier (SPEC §3) is q."""
    if q == 0:
        if r.random() < 0.55:
            return r.choice(A_PLUS_IND), int(r.lognormvariate(6.3, 0.8))
        return r.choice(A_IND + B_IND + OTHER_IND), r.randint(500, 4000)
    if q == 1:
        if r.random() < 0.55:
            return r.choice(A_IND), r.randint(40, 499)
        return r.choice(B_IND + OTHER_IND), r.randint(300, 499)
    if q == 2:
        if r.random() < 0.5:
            return r.choice(B_IND), r.randint(20, 299)
        return r.choice(OTHER_IND), r.randint(100, 299)
    return r.choice(OTHER_IND), r.randint(5, 99)


def _company_name(
    ind: str, city: str, dist: str, r: random.Random, used: set[str]
) -> str:
    sd = short_district(dist)
    for attempt in range(8):
        tpl = r.choice(NAME_TEMPLATES[ind])
        name = tpl.format(
            city=city,
            dist=sd,
            kw=r.choice(KEYWORDS),
            bank=r.choice(BANKS),
            n=r.randint(1, 60),
            dept=r.choice(DEPTS),
        )
        if name not in used:
            used.add(name)
            return name
    k = 2
    while f"{name}第{k}分公司" in used:
        k += 1
    name = f"{name}第{k}分公司"
    used.add(name)
    return name


def _build_members(w: World, seed: int) -> None:
    r = py_rng(seed, "members")
    starts = np.zeros(w.n, dtype=np.int64)
    n_imp = np.zeros(w.n, dtype=np.int64)
    leap_years = [1964, 1968, 1972, 1976, 1980, 1984, 1988, 1992]
    feb29_forced = 0
    for i in range(w.n):
        t = int(w.tier[i])
        k = r.choices(
            [[5, 6], [4, 5, 6], [3, 4, 5], [3, 4]][t],
            [[0.4, 0.6], [0.3, 0.4, 0.3], [0.3, 0.4, 0.3], [0.6, 0.4]][t],
        )[0]
        roles = [ROLE_IL]
        if t <= 1 and r.random() < 0.5:
            roles.append(ROLE_IL)
        if r.random() < (0.4 if t == 3 else 0.75):
            roles.append(ROLE_IC)
        if r.random() < 0.4:
            roles.append(ROLE_GL)
        if r.random() < 0.4:
            roles.append(ROLE_IT)
        roles = roles[:k]
        while len(roles) < k:
            roles.append(
                r.choices(
                    [ROLE_REG, ROLE_VIP, ROLE_INF, ROLE_M2M], [0.5, 0.25, 0.15, 0.10]
                )[0]
            )
        starts[i] = len(w.mem_ids)
        n_imp[i] = sum(1 for x in roles if x <= ROLE_IT)
        for role in roles:
            w.mem_ids.append(f"CY{len(w.mem_ids) + 1:08d}")
            w.mem_cust.append(i)
            w.mem_role.append(role)
            if role == ROLE_M2M:
                w.mem_birth.append(None)
                continue
            if r.random() < (0.03 if role <= ROLE_IT else 0.08):
                w.mem_birth.append(None)
                continue
            lo, hi = (1960, 1980) if role in (ROLE_IL, ROLE_GL) else (1965, 1998)
            if role <= ROLE_IT and (
                r.random() < 0.003
                or (feb29_forced < 2 and i >= w.n // 3 * (feb29_forced + 1))
            ):
                feb29_forced += 1
                w.mem_birth.append(
                    dt.date(r.choice([y for y in leap_years if lo <= y <= hi]), 2, 29)
                )
                continue
            y = r.randint(lo, hi)
            w.mem_birth.append(
                dt.date(y, 1, 1)
                + dt.timedelta(days=r.randrange(366 if calendar.isleap(y) else 365))
            )
    w.mem_start = starts
    w.mem_n_imp = n_imp


# --------------------------------------------------------------------------------------------
# Small files
# --------------------------------------------------------------------------------------------


def write_text(
    path: str,
    lines: list[str],
    encoding: str = "utf-8",
    newline: str = "\n",
    bom: bool = False,
) -> None:
    data = newline.join(lines) + newline
    with open(path, "wb") as fh:
        if bom:
            fh.write(b"\xef\xbb\xbf")
        fh.write(data.encode(encoding))


def write_org_units(w: World, out: str) -> int:
    lines = ["city_code,city_name,district_code,district_name"]
    lines += [f"{c},{cn},{d},{dn}" for c, cn, d, dn in w.districts]
    write_text(os.path.join(out, "org_units.csv"), lines)
    return len(lines) - 1


def write_managers(w: World, out: str) -> int:
    r = py_rng(w.seed, "managers.csv")
    lines = ["manager_id,manager_name,role,city_code,district_code"]
    for i, mid in enumerate(w.mgr_ids):
        code, zh = MANAGER_ROLE_LABELS[w.mgr_role[i]]
        role = zh if r.random() < 0.6 else code
        if r.random() < 0.03:
            role = f" {role} "
        ccode, _, dcode, _ = w.districts[w.mgr_district[i]]
        lines.append(f"{mid},{w.mgr_names[i]},{role},{ccode},{dcode}")
    write_text(os.path.join(out, "managers.csv"), lines)
    return len(lines) - 1


def _date_any(
    d: dt.date, r: random.Random, p: tuple[float, float, float] = (0.7, 0.15, 0.15)
) -> str:
    return date_formats(d)[r.choices([0, 1, 2], p)[0]]


def write_customers(w: World, out: str) -> int:
    r = py_rng(w.seed, "customers.csv")
    lines = [
        "集团编码,集团名称,客户等级,地市编码,区县编码,客户经理编码,首席客户经理编码,行业,集团成员数,入网日期"
    ]
    for i in range(w.n):
        ccode, _, dcode, _ = w.districts[w.district[i]]
        cid, name, tier = w.cust_ids[i], w.cust_names[i], TIERS[w.tier[i]]
        am = w.mgr_ids[w.am[i]]
        chief = w.mgr_ids[w.chief[i]] if w.chief[i] >= 0 else ""
        ind = w.industry[i]
        x = r.random()
        if ind == "交通运输" and x < 0.25:
            ind = "交通"
        elif ind in IND_CODE and x > 0.98:
            ind = IND_CODE[ind]
        if r.random() < 0.01:
            name = f" {name} "
        if r.random() < 0.005:
            am = f"{am} "
        if r.random() < 0.003:
            tier = f" {tier}"
        onboard = _date_any(w.date(int(w.onboard[i])), r)
        lines.append(
            f"{cid},{name},{tier},{ccode},{dcode},{am},{chief},{ind},{w.member_count[i]},{onboard}"
        )
    write_text(os.path.join(out, "customers.csv"), lines, bom=True)
    return len(lines) - 1


def write_tier_history(w: World, out: str) -> int:
    r = py_rng(w.seed, "tier_history.csv")
    lines = ["customer_id,tier,effective_from"]
    for i in range(w.n):
        if w.hist_orig_day[i] < 10**6:
            lines.append(
                f"{w.cust_ids[i]},{TIERS[w.hist_old_tier[i]]},{_date_any(w.date(int(w.hist_orig_day[i])), r)}"
            )
        if w.hist_change_day[i] < 10**6:
            lines.append(
                f"{w.cust_ids[i]},{TIERS[w.tier[i]]},{_date_any(w.date(int(w.hist_change_day[i])), r)}"
            )
    write_text(os.path.join(out, "tier_history.csv"), lines)
    return len(lines) - 1


def write_members(w: World, out: str) -> int:
    r = py_rng(w.seed, "members.csv")
    lines = ["member_id,customer_id,member_name,member_role,birthday"]
    m2m = 0
    for j, mid in enumerate(w.mem_ids):
        role = w.mem_role[j]
        labels, p = ROLE_LABELS[role]
        label = r.choices(labels, p)[0]
        if role == ROLE_M2M:
            m2m += 1
            name = f"{r.choice(['物联网卡', 'M2M终端', '车载终端'])}{m2m:04d}"
        else:
            name = person_name(r)
        b = w.mem_birth[j]
        bday = (
            ""
            if b is None
            else date_formats(b)[r.choices([0, 1, 2], [0.7, 0.15, 0.15])[0]]
        )
        if bday and r.random() < 0.02:
            bday = f" {bday}"
        lines.append(f"{mid},{w.cust_ids[w.mem_cust[j]]},{name},{label},{bday}")
    write_text(os.path.join(out, "members.csv"), lines)
    return len(lines) - 1


# --------------------------------------------------------------------------------------------
# Service logs: planning (counts per customer × service × month) then month-by-month writing
# --------------------------------------------------------------------------------------------


@dataclass
class Month:
    year: int
    month: int
    first: int  # day index of its first day
    last: int  # day index of its last day (calendar)
    days: int


def data_months(w: World) -> list[Month]:
    out = []
    y, m = DATA_START.year, DATA_START.month
    while (y, m) <= (w.as_of.year, w.as_of.month):
        nd = calendar.monthrange(y, m)[1]
        first = w.day(dt.date(y, m, 1))
        out.append(Month(y, m, first, first + nd - 1, nd))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def plan_services(
    w: World, months: list[Month]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Records to write per (customer, service, month) for the standards of §3, driven by diligence.

    Returns counts[n, 7, M], visit_met[n, M] (the month's visit period was met or had no
    obligation: extra visits may go there), valid_frac[n, M] (share of the month on or after
    onboarding and up to the as-of date) and tier_month[n, M] (tier on each month's first day).
    """
    rn = np_rng(w.seed, "plan")
    n, nm = w.n, len(months)
    asof = w.day(w.as_of)
    month_index = {(mo.year, mo.month): k for k, mo in enumerate(months)}
    lo = np.maximum.outer(w.onboard, np.array([mo.first for mo in months]))
    hi = np.minimum(np.array([mo.last for mo in months]), asof)[None, :].repeat(n, 0)
    valid_frac = (
        np.clip(hi - lo + 1, 0, None) / np.array([mo.days for mo in months])[None, :]
    )
    tier_month = np.stack([w.tier_at(mo.first) for mo in months], axis=1)

    counts = np.zeros((n, N_SERV, nm), dtype=np.int64)
    visit_met = np.ones((n, nm), dtype=bool)
    f_am = w.am_factor()
    has_chief = w.chief >= 0
    f_chief = np.where(
        has_chief, w.city_factor[w.city] * w.mgr_factor[np.maximum(w.chief, 0)], 0.4
    )

    for (s, t), (need, period) in REQUIRED.items():
        y, mo = DATA_START.year, 1
        while (y, mo) <= (w.as_of.year, w.as_of.month):
            cal = [(y, mo + k) for k in range(period)]
            if cal[-1] < (DATA_START.year, DATA_START.month):
                y, mo = (y + 1, 1) if mo + period > 12 else (y, mo + period)
                continue
            first = w.day(dt.date(y, mo, 1))
            idx = np.nonzero(w.tier_at(first) == t)[0]
            if len(idx):
                f = (f_chief if s == CHIEF else f_am)[idx]
                p = np.clip(BASE_MET[s] * f, 0.02, 0.995)
                met = rn.random(len(idx)) < p
                k = np.where(met, need, rn.integers(0, need, len(idx)))
                if s != VISIT:
                    k = k + (met & (rn.random(len(idx)) < 0.10))
                days = np.array(
                    [calendar.monthrange(yy, mm)[1] for yy, mm in cal], dtype=float
                )
                alloc = rn.multinomial(k, days / days.sum())
                for j, ym in enumerate(cal):
                    dm = month_index.get(ym)
                    if dm is None:
                        continue
                    a = alloc[:, j]
                    vf = valid_frac[idx, dm]
                    a = np.where(vf >= 1.0, a, rn.binomial(a, np.clip(vf, 0, 1)))
                    counts[idx, s, dm] += a
                    if s == VISIT:
                        visit_met[idx, dm] = met | (w.onboard[idx] > first)
            y, mo = (y + 1, 1) if mo + period > 12 else (y, mo + period)

    am_generosity = w.mgr_generosity[w.am]
    for (s, t), rate in OPTIONAL_RATE.items():
        for dm in range(nm):
            idx = np.nonzero(tier_month[:, dm] == t)[0]
            if not len(idx):
                continue
            lam = rate / 12.0 * valid_frac[idx, dm]
            if s == TRIAL and t >= 2:
                lam = lam * am_generosity[idx]
            counts[idx, s, dm] += rn.poisson(lam)
    return counts, visit_met, valid_frac, tier_month


def plan_greetings(w: World) -> list[tuple[int, int, int, int, int]]:
    """Greeting records (day, minute, customer, member, cancelled) around important birthdays."""
    r = py_rng(w.seed, "greetings")
    asof = w.day(w.as_of)
    f_am = w.am_factor()
    out: list[tuple[int, int, int, int, int]] = []
    minute_choices = list(range(8 * 60, 21 * 60, 10))
    for j, b in enumerate(w.mem_birth):
        role = w.mem_role[j]
        if b is None or role in (ROLE_REG, ROLE_INF, ROLE_M2M):
            continue
        c = w.mem_cust[j]
        onboard = int(w.onboard[c])
        for year in range(DATA_START.year, w.as_of.year + 1):
            month, day = b.month, b.day
            if month == 2 and day == 29 and not calendar.isleap(year):
                day = 28
            bday = w.day(dt.date(year, month, day))
            if bday < 0 - 8 or bday > asof + 10 or bday < onboard:
                continue
            if role == ROLE_VIP:  # not a standard, but VIPs are sometimes greeted
                if r.random() < 0.2:
                    _add_greeting(
                        out,
                        bday - r.randint(0, 5),
                        r.choice(minute_choices),
                        c,
                        j,
                        0,
                        onboard,
                        asof,
                    )
                continue
            p = min(0.995, GREETING_ON_TIME * float(f_am[c]))
            x = r.random()
            if r.random() < 0.03:
                _add_greeting(
                    out,
                    bday - r.randint(0, 7),
                    r.choice(minute_choices),
                    c,
                    j,
                    1,
                    onboard,
                    asof,
                )
            if x < p:
                back = r.choices(range(8), [20, 18, 16, 14, 10, 8, 7, 7])[0]
                minute = (
                    r.choice(minute_choices)
                    if back or r.random() < 0.7
                    else r.randint(18 * 60, 23 * 60 + 50)
                )
                _add_greeting(out, bday - back, minute, c, j, 0, onboard, asof)
            elif x < p + (1 - p) * 0.45:
                _add_greeting(
                    out,
                    bday + r.randint(1, 10),
                    r.choice(minute_choices),
                    c,
                    j,
                    0,
                    onboard,
                    asof,
                )
            elif x < p + (1 - p) * 0.65:
                _add_greeting(
                    out,
                    bday - r.randint(8, 20),
                    r.choice(minute_choices),
                    c,
                    j,
                    0,
                    onboard,
                    asof,
                )
    return out


def _add_greeting(
    out: list, day: int, minute: int, c: int, j: int, canc: int, onboard: int, asof: int
) -> None:
    if 0 <= day <= asof and day >= onboard:
        out.append((day, minute, c, j, canc))


@dataclass
class DirtPlan:
    duplicates: int
    conflicts: int
    unknown_customer: int
    unknown_manager: int
    impossible_date: int
    broken_extra_field: int
    broken_truncated: int
    padded: float = 0.003


def dirt_for(total: int) -> DirtPlan:
    s = total / 1_000_000
    return DirtPlan(
        duplicates=max(3, round(0.002 * total)),
        conflicts=max(2, round(36 * s)),
        unknown_customer=max(2, round(30 * s)),
        unknown_manager=max(1, round(6 * s)),
        impossible_date=max(2, round(8 * s)),
        broken_extra_field=max(1, round(20 * s)),
        broken_truncated=max(1, round(18 * s)),
    )


def write_service_logs(w: World, out: str, total: int) -> dict[str, int]:
    """Write exactly `total` data lines of service_logs.csv (GB18030, Chinese header, CRLF)."""
    rn = np_rng(w.seed, "logs")
    months = data_months(w)
    nm = len(months)
    asof = w.day(w.as_of)
    counts, visit_met, valid_frac, tier_month = plan_services(w, months)
    greetings = plan_greetings(w)
    dirt = dirt_for(total)
    cancelled_n = round(0.03 * total)
    added = dirt.duplicates + dirt.conflicts + dirt.unknown_customer
    base = int(counts.sum()) + len(greetings)
    budget = total - cancelled_n - added - 1  # 1: the record forced onto the as-of date
    if base > 0.9 * budget:  # tiny --logs: thin the plan to fit
        keep = max(0.0, 0.85 * budget / max(base, 1))
        counts = rn.binomial(counts, keep)
        rg = py_rng(w.seed, "greetings-thin")
        greetings = [g for g in greetings if rg.random() < keep]
        base = int(counts.sum()) + len(greetings)
    if budget - base < 0:
        raise SystemExit(f"--logs {total} is too small for this many customers")

    # extra visits in periods already met, by tier and diligence
    f_am = w.am_factor()
    wt = visit_met * valid_frac * TIER_VISIT_WEIGHT[tier_month] * (f_am**2)[:, None]
    extra = rn.multinomial(budget - base, (wt / wt.sum()).ravel()).reshape(wt.shape)
    counts[:, VISIT, :] += extra
    # cancelled records anywhere the customer exists
    wc = valid_frac * TIER_VISIT_WEIGHT[tier_month]
    cancelled = rn.multinomial(cancelled_n, (wc / wc.sum()).ravel()).reshape(wc.shape)

    # greetings per month
    g_by_month: list[list[tuple[int, int, int, int, int]]] = [[] for _ in range(nm)]
    month_of_day = np.zeros(asof + 1, dtype=np.int64)
    for k, mo in enumerate(months):
        month_of_day[mo.first : min(mo.last, asof) + 1] = k
    for g in greetings:
        g_by_month[int(month_of_day[g[0]])].append(g)

    # spread the added dirt lines and replacements over months by volume
    vol = (
        counts.sum(axis=(0, 1))
        + cancelled.sum(axis=0)
        + np.array([len(g) for g in g_by_month])
    )
    pv = vol / vol.sum()

    def spread(k: int, exclude_last: bool = False) -> np.ndarray:
        p = pv.copy()
        if exclude_last and nm > 1:
            p[-1] = 0
        return rn.multinomial(k, p / p.sum())

    per_month = {
        "duplicates": spread(dirt.duplicates),
        "conflicts": spread(dirt.conflicts),
        "unknown_customer": spread(dirt.unknown_customer),
        "unknown_manager": spread(dirt.unknown_manager),
        "impossible_date": spread(dirt.impossible_date, exclude_last=True),
        "broken_extra_field": spread(dirt.broken_extra_field),
        "broken_truncated": spread(dirt.broken_truncated),
    }

    # lookup tables
    ghost_n = max(2, dirt.unknown_customer // 3)
    ghost_city = rn.integers(0, len(CITIES), ghost_n)
    cust_tbl = list(w.cust_ids) + [
        f"JT{CITIES[c][0]}9{int(rn.integers(10000, 99999)):05d}" for c in ghost_city
    ]
    mem_tbl = list(w.mem_ids) + [""]
    no_member = len(w.mem_ids)
    ghost_mgrs = [
        f"JL{CITIES[c][0]}9{k:02d}"
        for k, c in enumerate(rn.integers(0, len(CITIES), max(1, dirt.unknown_manager)))
    ]
    svc_tbl = [x for s in range(8) for x in (SERVICE_ZH[s], SERVICE_CODES[s])]
    status_tbl = ["已完成", "completed", "已取消", "cancelled"]
    note_tbl = [""]
    note_range: dict[int, tuple[int, int]] = {}
    for s in range(8):
        note_range[s] = (len(note_tbl), len(NOTES[s]))
        note_tbl += [csv_field(x) for x in NOTES[s]]
    comma_range: dict[int, tuple[int, int]] = {}
    for s in range(8):
        comma_range[s] = (len(note_tbl), len(COMMA_NOTES[s]))
        note_tbl += [csv_field(x) for x in COMMA_NOTES[s]]
    cancel_range = (len(note_tbl), len(CANCEL_NOTES))
    note_tbl += [csv_field(x) for x in CANCEL_NOTES]
    date_tbl = [date_formats(w.date(d)) for d in range(asof + 1)]
    hm = [f" {m // 60:02d}:{m % 60:02d}" for m in range(1440)]
    hms = [f"{x}:00" for x in hm]
    nothing = [""] * 1440
    iso = [d[0] for d in date_tbl]
    slash = [d[1] for d in date_tbl]
    compact = [d[2] for d in date_tbl]
    style_date = [iso, slash, iso, compact, slash, compact]
    style_time = [hm, hm, hms, nothing, nothing, hm]
    minute_p = minute_weights()
    weekday0 = DATA_START.weekday()
    city_arr = np.concatenate([w.city, ghost_city])
    am_arr = np.concatenate([w.am, [w.city_ams[c][0] for c in ghost_city]])
    chief_city = [np.array(x) for x in w.city_chiefs]
    dh_city = [np.array(x) for x in w.city_dh]
    sa_city = [np.array(x) for x in w.city_sa]
    mem_start = np.concatenate([w.mem_start, np.zeros(ghost_n, dtype=np.int64)])
    mem_imp = np.concatenate([w.mem_n_imp, np.zeros(ghost_n, dtype=np.int64)])
    onboard = np.concatenate([w.onboard, np.full(ghost_n, -(10**6))])
    # channel choice per service: (main, alternative, probability of alternative)
    chan_main = np.array([0, 1, 1, 1, 1, 0, 1, 0])
    chan_alt = np.array([0, 3, 1, 1, 1, 0, 2, 0])
    chan_alt_p = np.array([0.0, 0.2, 0.0, 0.0, 0.0, 0.0, 0.3, 0.0])
    note_start = np.array([note_range[s][0] for s in range(8)])
    note_len = np.array([note_range[s][1] for s in range(8)])
    comma_start = np.array([comma_range[s][0] for s in range(8)])
    comma_len = np.array([comma_range[s][1] for s in range(8)])

    stats = {k: 0 for k in per_month}
    stats.update(quoted_comma_notes=0, cancelled=0, lines=0, padded=0, greeting=0)
    path = os.path.join(out, "service_logs.csv")
    with open(path, "wb") as fh:
        fh.write(
            "记录编号,集团编码,成员编码,客户经理编码,服务类型,渠道,服务时间,状态,备注\r\n".encode(
                "gb18030"
            )
        )
        for k, mo in enumerate(months):
            # ---- the month's records as arrays
            cm = counts[:, :, k]
            ci, si = np.nonzero(cm)
            reps = cm[ci, si]
            c_arr = [np.repeat(ci, reps)]
            s_arr = [np.repeat(si, reps)]
            canc = [np.zeros(int(reps.sum()), dtype=np.int64)]
            cc = cancelled[:, k]
            cci = np.repeat(np.nonzero(cc)[0], cc[cc > 0])
            c_arr.append(cci)
            s_arr.append(
                rn.choice(
                    7, size=len(cci), p=[0.80, 0.06, 0.05, 0.02, 0.01, 0.02, 0.04]
                )
            )
            canc.append(np.ones(len(cci), dtype=np.int64))
            n_ghost = int(per_month["unknown_customer"][k])
            c_arr.append(w.n + rn.integers(0, ghost_n, n_ghost))
            s_arr.append(np.full(n_ghost, VISIT))
            canc.append(np.zeros(n_ghost, dtype=np.int64))
            c = np.concatenate(c_arr)
            s = np.concatenate(s_arr)
            cn = np.concatenate(canc)
            m_ = len(c)
            # days inside the customer's valid part of the month; weekends mostly avoided
            lo = np.maximum(mo.first, onboard[c])
            hi = np.full(m_, min(mo.last, asof))
            span = hi - lo + 1
            day = lo + (rn.random(m_) * span).astype(np.int64)
            weekend = ((day + weekday0) % 7) >= 5
            redraw = weekend & (rn.random(m_) < 0.85)
            day = np.where(redraw, lo + (rn.random(m_) * span).astype(np.int64), day)
            minute = rn.choice(1440, size=m_, p=minute_p)
            member = np.full(m_, no_member)
            with_member = (s == VISIT) & (mem_imp[c] > 0) & (rn.random(m_) < 0.04)
            member[with_member] = (
                mem_start[c]
                + (rn.random(m_) * np.maximum(mem_imp[c], 1)).astype(np.int64)
            )[with_member]
            mgr = am_arr[c].copy()
            u = rn.random(m_)
            cities = city_arr[c]
            for sv, share, pools in (
                (TRIAL, 0.2, dh_city),
                (NETWORK, 0.25, sa_city),
                (TRAINING, 0.1, sa_city),
            ):
                sel = np.nonzero((s == sv) & (u < share))[0]
                for i in sel:
                    pool = pools[cities[i]]
                    mgr[i] = pool[int(u[i] * 997) % len(pool)]
            sel = np.nonzero(s == CHIEF)[0]
            chief_of = np.concatenate([w.chief, np.full(ghost_n, -1)])[c[sel]]
            for i, ch in zip(sel, chief_of):
                if ch >= 0 and u[i] < 0.97:
                    mgr[i] = ch
                else:
                    pool = chief_city[cities[i]]
                    mgr[i] = pool[int(u[i] * 997) % len(pool)]
            # greetings of the month
            gm = g_by_month[k]
            if gm:
                ga = np.array(gm, dtype=np.int64)
                c = np.concatenate([c, ga[:, 2]])
                s = np.concatenate([s, np.full(len(ga), GREETING)])
                cn = np.concatenate([cn, ga[:, 4]])
                day = np.concatenate([day, ga[:, 0]])
                minute = np.concatenate([minute, ga[:, 1]])
                member = np.concatenate([member, ga[:, 3]])
                gmgr = w.am[ga[:, 2]].copy()
                gchief = w.chief[ga[:, 2]]
                by_chief = (gchief >= 0) & (rn.random(len(ga)) < 0.05)
                gmgr[by_chief] = gchief[by_chief]
                mgr = np.concatenate([mgr, gmgr])
                stats["greeting"] += len(ga)
            forced = -1
            if k == nm - 1:  # the as-of date holds the latest record
                cands = np.nonzero((s == VISIT) & (cn == 0) & (c < w.n))[0]
                forced_src = int(cands[0]) if len(cands) else 0
                c = np.append(c, c[forced_src])
                s = np.append(s, VISIT)
                cn = np.append(cn, 0)
                day = np.append(day, asof)
                minute = np.append(minute, 16 * 60 + 30)
                member = np.append(member, no_member)
                mgr = np.append(mgr, mgr[forced_src])
            m_ = len(c)
            # labels
            style = rn.choice(6, size=m_, p=DATETIME_STYLE_P)
            sv_lbl = s * 2 + (rn.random(m_) < 0.3)
            st_lbl = cn * 2 + (rn.random(m_) < 0.3)
            chan = np.where(rn.random(m_) < chan_alt_p[s], chan_alt[s], chan_main[s])
            has_note = rn.random(m_) < np.where(cn == 1, 0.75, 0.45)
            note = np.where(
                cn == 1,
                cancel_range[0] + (rn.random(m_) * cancel_range[1]).astype(np.int64),
                note_start[s] + (rn.random(m_) * note_len[s]).astype(np.int64),
            )
            comma = (cn == 0) & (rn.random(m_) < COMMA_NOTE_SHARE)
            note = np.where(
                comma,
                comma_start[s] + (rn.random(m_) * comma_len[s]).astype(np.int64),
                note,
            )
            note = np.where(has_note | comma, note, 0)
            # order as the CRM would export them: by time, ids in that order
            order = np.argsort(day * 1440 + minute, kind="stable")
            if k == nm - 1:
                forced = int(np.nonzero(order == m_ - 1)[0][0])
                style[m_ - 1] = 0
            cols = [
                a[order].tolist()
                for a in (
                    c,
                    member,
                    mgr,
                    sv_lbl,
                    chan,
                    style,
                    day,
                    minute,
                    st_lbl,
                    note,
                )
            ]
            stats["cancelled"] += int(cn.sum())

            # ---- dirt decided on positions in the month
            kinds = [
                "unknown_manager",
                "impossible_date",
                "broken_extra_field",
                "broken_truncated",
                "conflicts",
                "duplicates",
            ]
            want = [int(per_month[x][k]) for x in kinds]
            eligible = np.nonzero(c[order] < w.n)[0]
            eligible = eligible[eligible != forced]
            picks = rn.choice(
                eligible, size=min(sum(want), len(eligible)), replace=False
            )
            role_at: dict[int, str] = {}
            pos = 0
            for kind, n_k in zip(kinds, want):
                for i in picks[pos : pos + n_k]:
                    role_at[int(i)] = kind
                pos += n_k
            pad = (
                set(np.nonzero(rn.random(m_) < dirt.padded)[0].tolist())
                - set(role_at)
                - {forced}
            )
            ym = f"FW{mo.year % 100:02d}{mo.month:02d}"

            def fields(i: int, ym: str = ym, cols: list = cols) -> list[str]:
                return [
                    f"{ym}{i + 1:07d}",
                    cust_tbl[cols[0][i]],
                    mem_tbl[cols[1][i]],
                    w.mgr_ids[cols[2][i]],
                    svc_tbl[cols[3][i]],
                    CHANNELS[cols[4][i]],
                    style_date[cols[5][i]][cols[6][i]]
                    + style_time[cols[5][i]][cols[7][i]],
                    status_tbl[cols[8][i]],
                    note_tbl[cols[9][i]],
                ]

            # ---- lines, chunk by chunk; insertions (duplicates, conflicts) stay inside their chunk
            for a in range(0, m_, CHUNK):
                b = min(m_, a + CHUNK)
                lines = [
                    f"{ym}{q + 1:07d},{cust_tbl[c_]},{mem_tbl[mm]},{w.mgr_ids[g]},{svc_tbl[sv]},{CHANNELS[ch]},"
                    f"{style_date[f][d]}{style_time[f][mi]},{status_tbl[st]},{note_tbl[nt]}"
                    for q, c_, mm, g, sv, ch, f, d, mi, st, nt in zip(
                        range(a, b), *(col[a:b] for col in cols)
                    )
                ]
                stats["quoted_comma_notes"] += sum(
                    1 for nt in cols[9][a:b] if note_tbl[nt].startswith('"')
                )
                inserts: list[tuple[int, str]] = []
                for i in sorted(x for x in role_at if a <= x < b):
                    kind = role_at[i]
                    fl = fields(i)
                    if kind == "unknown_manager":
                        fl[3] = ghost_mgrs[stats[kind] % len(ghost_mgrs)]
                        lines[i - a] = ",".join(fl)
                    elif kind == "impossible_date":
                        bad_day = mo.days + (1 if mo.month != 2 else 2)
                        hhmm = hm[cols[7][i]]
                        fl[6] = [
                            f"{mo.year}-{mo.month:02d}-{bad_day:02d}{hhmm}",
                            f"{mo.year}/{mo.month}/{bad_day}{hhmm}",
                            f"{mo.year}{mo.month:02d}{bad_day:02d}",
                        ][stats[kind] % 3]
                        lines[i - a] = ",".join(fl)
                    elif kind == "broken_extra_field":
                        fl[8] = BROKEN_NOTES[
                            stats[kind] % len(BROKEN_NOTES)
                        ]  # unquoted comma: 10 fields
                        lines[i - a] = ",".join(fl)
                    elif kind == "broken_truncated":
                        line = ",".join(fl[:7])
                        cut = (
                            len(",".join(fl[:6])) + 1 + 1 + stats[kind] % 8
                        )  # cut inside service_time
                        lines[i - a] = line[:cut]
                    elif kind == "conflicts":
                        fl2 = list(fl)
                        variant = stats[kind] % 3
                        if variant == 0:
                            fl2[7] = "已取消" if cols[8][i] < 2 else "已完成"
                        elif variant == 1:
                            d2 = max(0, min(asof, cols[6][i] + 1))
                            d2 = d2 if d2 != cols[6][i] else cols[6][i] - 1
                            fl2[6] = iso[d2] + hm[cols[7][i]]
                        else:
                            fl2[8] = CONFLICT_NOTES[stats[kind] % len(CONFLICT_NOTES)]
                        p_ = int(rn.integers(i + 1, b + 1))
                        inserts.append((p_, ",".join(fl2)))
                    elif kind == "duplicates":
                        p_ = int(rn.integers(i + 1, b + 1))
                        inserts.append((p_, lines[i - a]))
                    stats[kind] += 1
                for i in sorted(x for x in pad if a <= x < b):
                    fl = fields(i)
                    j = (i * 7) % 4
                    target = [1, 7, 3, 4][j]
                    fl[target] = (
                        (" " + fl[target]) if j % 2 == 0 else (fl[target] + " ")
                    )
                    lines[i - a] = ",".join(fl)
                    stats["padded"] += 1
                if inserts:
                    inserts.sort(key=lambda x: x[0])
                    merged: list[str] = []
                    prev = 0
                    for p_, text in inserts:
                        merged.extend(lines[prev : p_ - a])
                        merged.append(text)
                        prev = p_ - a
                    merged.extend(lines[prev:])
                    lines = merged
                stats["lines"] += len(lines)
                fh.write(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    stats["unknown_customer"] = int(per_month["unknown_customer"].sum())
    stats["unknown_customer_ids"] = ghost_n
    if stats["lines"] != total:
        raise SystemExit(
            f"internal error: wrote {stats['lines']} service-log lines, expected {total}"
        )
    return stats


# --------------------------------------------------------------------------------------------
# Complaints
# --------------------------------------------------------------------------------------------


def write_complaints(w: World, out: str, total: int) -> dict[str, int]:
    """Exactly `total` data lines of complaints.csv (GB18030, Chinese header, CRLF)."""
    r = py_rng(w.seed, "complaints")
    asof_end = (w.day(w.as_of) + 1) * 1440 - 1  # minutes since DATA_START
    n_dup = max(1, round(total / 1500)) if total >= 4 else 0
    n_reversed = max(1, round(total / 1500)) if total >= 4 else 0
    n = total - n_dup
    f_am = w.am_factor()
    weights = (
        np.array([4.0, 2.5, 1.2, 0.8])[w.tier] * np.sqrt(w.member_count + 10)
    ).tolist()
    cust = r.choices(range(w.n), weights, k=n)
    rows = []
    for c in cust:
        lo = max(0, int(w.onboard[c]))
        day = r.randint(lo, w.day(w.as_of))
        minute = r.randint(8 * 60, 20 * 60) if r.random() < 0.88 else r.randint(0, 1439)
        rows.append((day * 1440 + minute, c))
    rows.sort()
    stats = {
        "dissatisfied": 0,
        "dissatisfied_without_reason": 0,
        "open_or_missing": 0,
        "late_any": 0,
    }
    records: list[list] = []
    seq: dict[str, int] = {}
    for received, c in rows:
        tier = _tier_on(w, c, received // 1440)
        level = TIER_LEVEL[tier]
        lim_first, lim_res = COMPLAINT_LEVEL_LIMITS[level]
        f = float(f_am[c])
        late = False

        def after(base: int, limit_h: int, p_on: float) -> int:
            nonlocal late
            x = r.random()
            if x < 0.02:
                return base + limit_h * 60  # exactly at the limit: on time
            if x < p_on:
                return base + max(5, int(r.uniform(0.05, 1.0) * limit_h * 60))
            late = True
            return base + int((limit_h + r.uniform(0.02, 1.5) * limit_h) * 60)

        first = (
            None
            if r.random() < 0.015
            else after(received, lim_first, min(0.995, 0.93 * f))
        )
        resolved = (
            None
            if r.random() < 0.01
            else after(received, lim_res, min(0.995, 0.92 * f))
        )
        if (
            resolved is not None
            and resolved % 1440 < 7 * 60
            and (resolved // 1440) * 1440 + 8 * 60 <= received + lim_res * 60
        ):
            resolved = (
                (resolved // 1440) * 1440 + 8 * 60 + r.randint(0, 59)
            )  # offices open at 8
        if resolved is not None and first is not None and resolved < first:
            resolved = first + r.randint(30, 240)
        ret = None
        if resolved is not None and r.random() > 0.04:
            rd = resolved // 1440
            x = r.random()
            if x < min(0.99, 0.93 * f):
                day_r = rd + r.choices([0, 1, 2, 3], [35, 30, 20, 15])[0]
            else:
                day_r = rd + r.randint(4, 8)
                late = True
            ret = day_r * 1440 + r.randint(9 * 60, 18 * 60)
            if ret < resolved:
                ret = resolved + r.randint(30, 180)
        # nothing after the export: still-open steps are simply missing
        if first is not None and first > asof_end:
            first = None
        if resolved is not None and resolved > asof_end:
            resolved = None
        if ret is not None and (resolved is None or ret > asof_end):
            ret = None
        if None in (first, resolved, ret):
            stats["open_or_missing"] += 1
        stats["late_any"] += late
        if ret is not None:
            sat = r.choices([0, 1, 2, 3, -1], [33, 45, 9 * (2 if late else 1), 8, 5])[0]
        else:
            sat = r.choices([-1, 3], [80, 20])[0]
        reason = ""
        if sat == 2:
            stats["dissatisfied"] += 1
            if r.random() < 0.88:
                reason = r.choice(DISSATISFIED_REASONS)
        mgr_x = r.random()
        if mgr_x < 0.85:
            mgr = w.mgr_ids[w.am[c]]
        elif mgr_x < 0.95:
            mgr = w.mgr_ids[r.choice(w.city_dh[w.city[c]])]
        else:
            mgr = ""
        d0 = w.date(received // 1440)
        key = f"TS{d0.year % 100:02d}{d0.month:02d}"
        seq[key] = seq.get(key, 0) + 1
        records.append(
            [
                f"{key}{seq[key]:05d}",
                c,
                mgr,
                received,
                first,
                resolved,
                ret,
                sat,
                reason,
            ]
        )

    # dirt: resolution before receipt; at least one dissatisfied without a reason
    picks = (
        r.sample(range(len(records)), min(len(records), n_reversed + 1))
        if records
        else []
    )
    for i in picks[:n_reversed]:
        records[i][5] = records[i][3] - r.randint(60, 30 * 60)
    no_reason = [rec for rec in records if rec[7] == 2 and not rec[8]]
    if not no_reason and records:
        rec = records[picks[-1]] if len(picks) > n_reversed else records[0]
        if rec[7] != 2:
            stats["dissatisfied"] += 1
        rec[7], rec[8] = 2, ""
    stats["dissatisfied_without_reason"] = sum(
        1 for rec in records if rec[7] == 2 and not rec[8]
    )
    stats["resolved_before_received"] = n_reversed
    stats["duplicates"] = n_dup

    lines = []
    for cid, c, mgr, received, first, resolved, ret, sat, reason in records:
        style = r.choices([0, 1, 5, 2], [70, 12, 8, 10])[0]

        def ts(t: int | None, style: int = style) -> str:
            return "" if t is None else fmt_datetime(w.date(t // 1440), t % 1440, style)

        sat_s = "" if sat < 0 else SATISFACTION[sat][1 if r.random() < 0.75 else 0]
        cust_s = w.cust_ids[c]
        if r.random() < 0.01:
            cust_s = f" {cust_s}"
        lines.append(
            ",".join(
                [
                    cid,
                    cust_s,
                    mgr,
                    ts(received),
                    ts(first),
                    ts(resolved),
                    ts(ret),
                    sat_s,
                    csv_field(reason),
                ]
            )
        )
    for _ in range(n_dup):
        i = r.randrange(len(lines) - 1) if len(lines) > 1 else 0
        lines.insert(r.randint(i + 1, len(lines)), lines[i])
    header = "投诉编号,集团编码,客户经理编码,受理时间,首次联系时间,办结时间,回访时间,满意度,不满意原因"
    write_text(
        os.path.join(out, "complaints.csv"),
        [header] + lines,
        encoding="gb18030",
        newline="\r\n",
    )
    stats["lines"] = len(lines)
    return stats


def _tier_on(w: World, c: int, day: int) -> int:
    t = int(w.tier[c])
    if day >= w.hist_orig_day[c]:
        t = int(w.hist_old_tier[c])
    if day >= w.hist_change_day[c]:
        t = int(w.tier[c])
    return t


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------

EXPORT_FILES = [
    "org_units.csv",
    "managers.csv",
    "customers.csv",
    "tier_history.csv",
    "members.csv",
    "service_logs.csv",
    "complaints.csv",
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Generate a deterministic, realistic and dirty CRM export (SPEC §4)."
    )
    ap.add_argument("--out", required=True, help="output folder (created if missing)")
    ap.add_argument(
        "--customers",
        type=int,
        default=20000,
        help="number of customers (default 20000)",
    )
    ap.add_argument(
        "--logs",
        type=int,
        default=1_000_000,
        help="data lines of service_logs.csv (default 1000000)",
    )
    ap.add_argument(
        "--complaints",
        type=int,
        default=None,
        help="data lines of complaints.csv (default 0.15 per customer: 3000 at 20000 customers)",
    )
    ap.add_argument(
        "--seed", type=int, default=20261125, help="random seed (default 20261125)"
    )
    ap.add_argument(
        "--as-of",
        default="2026-11-20",
        help="date of the export: latest service_time (default 2026-11-20)",
    )
    ap.add_argument(
        "--clean", action="store_true", help="delete the files already in --out first"
    )
    args = ap.parse_args(argv)
    if args.complaints is None:  # in proportion to the customers, like members and tier changes
        args.complaints = round(args.customers * 0.15)

    as_of = dt.date.fromisoformat(args.as_of)
    if as_of < dt.date(2026, 1, 1):
        ap.error(
            "--as-of must be on or after 2026-01-01 (the logs start on 2025-12-01)"
        )
    if args.customers < 20:
        ap.error("--customers must be at least 20")
    os.makedirs(args.out, exist_ok=True)
    if args.clean:
        for name in sorted(os.listdir(args.out)):
            p = os.path.join(args.out, name)
            if os.path.isfile(p) or os.path.islink(p):
                os.remove(p)

    t0 = time.perf_counter()
    w = build_world(args.seed, args.customers, as_of)
    report = {
        "org_units.csv": write_org_units(w, args.out),
        "managers.csv": write_managers(w, args.out),
        "customers.csv": write_customers(w, args.out),
        "tier_history.csv": write_tier_history(w, args.out),
        "members.csv": write_members(w, args.out),
    }
    log_stats = write_service_logs(w, args.out, args.logs)
    report["service_logs.csv"] = log_stats["lines"]
    comp_stats = write_complaints(w, args.out, args.complaints)
    report["complaints.csv"] = comp_stats["lines"]
    elapsed = time.perf_counter() - t0

    print(f"wrote {args.out} in {elapsed:.1f} s (seed {args.seed}, as-of {as_of})")
    for name in EXPORT_FILES:
        size = os.path.getsize(os.path.join(args.out, name))
        print(f"  {name:18s} {report[name]:>10,d} data lines  {size / 1e6:8.2f} MB")
    print(
        "  service_logs dirt: "
        + ", ".join(f"{k}={v}" for k, v in log_stats.items() if k != "lines")
    )
    print(
        "  complaints dirt:   "
        + ", ".join(f"{k}={v}" for k, v in comp_stats.items() if k != "lines")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
