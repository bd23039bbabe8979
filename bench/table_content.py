"""The words of the generated tables: realistic pools of Latin and Chinese cell texts.

Texts use only ASCII and GB2312 level-1 hanzi (`bench.evalset.check_charset` is applied when a
page is made), so a miss is the engine's and not an unusual character's.
"""

from __future__ import annotations

import random

LATIN_NAMES = ("Alice Chen", "Bob Smith", "Carol Wang", "David Li", "Emma Brown", "Frank Zhou", "Grace Liu")
LATIN_DEPTS = ("Finance", "Sales", "Research", "Support", "Legal", "Marketing", "Design")
LATIN_CITIES = ("Beijing", "Shanghai", "Shenzhen", "Hangzhou", "Chengdu", "Wuhan", "Nanjing", "Xi'an")
LATIN_ITEMS = (
    "Wireless mouse", "USB cable", "Desk lamp", "Notebook", "Coffee beans", "Monitor stand",
    "Keyboard", "Printer paper", "Office chair", "Headphones", "Water bottle", "Stapler",
)  # fmt: skip
LATIN_COURSES = ("Linear Algebra", "Statistics", "Databases", "Chemistry", "World History", "Economics")
CJK_NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强")
CJK_DEPTS = ("财务部", "销售部", "技术部", "人事部", "市场部", "客服部", "法务部")
CJK_CITIES = ("北京", "上海", "广州", "天津", "杭州", "成都", "武汉", "南京", "西安")
CJK_ITEMS = (
    "无线鼠标", "打印纸", "黑色签字笔", "笔记本电脑", "显示器支架", "机械键盘",
    "咖啡豆", "矿泉水", "文件夹", "办公椅", "蓝牙耳机", "台灯",
)  # fmt: skip
CJK_COURSES = ("高等数学", "大学英语", "线性代数", "数据结构", "中国历史", "经济学原理")
REGIONS_LATIN = ("North", "South", "East", "West")
REGIONS_CJK = ("华北", "华南", "华东", "西部")
TITLES_LATIN = ("Table 1. Orders this month", "Staff list", "Course timetable", "Sales by quarter")
TITLES_CJK = ("表 1 本月订单", "员工名单", "课程安排", "季度销售统计")
NOTES_LATIN = ("Source: internal records.", "All amounts in US dollars.", "Updated weekly.")
NOTES_CJK = ("注：金额单位为元。", "数据来源：内部记录", "每周更新一次")
SECOND_LATIN = ("black", "large", "set of 2", "refill", "spare part")
SECOND_CJK = ("黑色", "大号", "两件装", "替换装", "配件")


def money(rng: random.Random, big: bool = False) -> str:
    value = rng.randint(100, 99999) + rng.choice((0, 0.5, 0.25)) if big else rng.randint(2, 999) + 0.5
    return f"{value:,.2f}"


def date(rng: random.Random, cjk: bool) -> str:
    y, m, d = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
    return f"{y}年{m}月{d}日" if cjk else f"{y}-{m:02d}-{d:02d}"


def theme(rng: random.Random, cjk: bool, numeric: bool) -> tuple[list[str], list[list[str]]]:
    """A header and 4-7 body rows of one realistic kind of table."""
    n = rng.randint(4, 7)
    if numeric:
        head = ["地区" if cjk else "Region", "Q1", "Q2", "Q3", "Q4", "合计" if cjk else "Total"]
        names = list(CJK_CITIES if cjk else LATIN_CITIES)
        rng.shuffle(names)
        return head, [[names[i % len(names)]] + [money(rng, True) for _ in range(5)] for i in range(n)]
    kind = rng.randrange(3)
    if kind == 0:
        head = ["品名", "数量", "单价", "金额"] if cjk else ["Item", "Qty", "Unit price", "Amount"]
        items = rng.sample(CJK_ITEMS if cjk else LATIN_ITEMS, n)
        return head, [[item, str(rng.randint(1, 50)), money(rng), money(rng, True)] for item in items]
    if kind == 1:
        head = ["姓名", "部门", "城市", "入职日期"] if cjk else ["Name", "Department", "City", "Start date"]
        names = rng.sample(CJK_NAMES if cjk else LATIN_NAMES, min(n, 7))
        depts, cities = (CJK_DEPTS, CJK_CITIES) if cjk else (LATIN_DEPTS, LATIN_CITIES)
        return head, [[name, rng.choice(depts), rng.choice(cities), date(rng, cjk)] for name in names]
    head = ["课程", "教室", "教师", "时间"] if cjk else ["Course", "Room", "Teacher", "Time"]
    courses = rng.sample(CJK_COURSES if cjk else LATIN_COURSES, min(n, 6))
    teachers = CJK_NAMES if cjk else LATIN_NAMES
    rows = [
        [c, f"{rng.choice('ABCD')}-{rng.randint(101, 499)}", rng.choice(teachers), f"{rng.randint(8, 17)}:00"]
        for c in courses
    ]
    return head, rows
