"""The texts of the bench cases: line crops, the report page, the invoice, the sign, the note."""

from __future__ import annotations

LINE_TEXTS: tuple[tuple[str, str, str], ...] = (
    # (name, script, text)
    ("zh_short_1", "zh", "营业时间"),
    ("zh_short_2", "zh", "请勿吸烟"),
    ("zh_short_3", "zh", "欢迎光临"),
    ("zh_short_4", "zh", "北京市海淀区"),
    ("zh_short_5", "zh", "安全出口"),
    ("zh_long_1", "zh", "本公司将于下周一上午九点在三楼会议室召开年度工作总结大会"),
    ("zh_long_2", "zh", "请各位乘客排队上车，注意安全，照顾好随身携带的物品"),
    ("zh_long_3", "zh", "根据国家有关规定，本产品的保修期限为自购买之日起一年"),
    ("en_short_1", "en", "Total Amount"),
    ("en_short_2", "en", "EXIT"),
    ("en_short_3", "en", "Invoice No. 20240315"),
    ("en_short_4", "en", "Hello World"),
    ("en_long_1", "en", "The quick brown fox jumps over the lazy dog near the river bank"),
    ("en_long_2", "en", "Please keep your receipt for returns within 30 days of purchase"),
    ("en_long_3", "en", "Meeting moved to Room 402 at 3:30 PM on Friday, March 15"),
    ("mixed_short_1", "mixed", "价格 Price: 128.00元"),
    ("mixed_short_2", "mixed", "WiFi密码 abc12345"),
    ("mixed_short_3", "mixed", "第3章 Introduction"),
    ("mixed_long_1", "mixed", "订单号A20240315已发货，预计3月18日送达Shanghai"),
    ("mixed_long_2", "mixed", "联系电话 Tel: 010-62753321 邮箱 service@example.com"),
    ("mixed_long_3", "mixed", "本周销售额 Sales this week: 1,234,567元，同比增长12.5%"),
)

DOCUMENT_TITLE = "2024年第一季度工作报告 Quarterly Report"
DOCUMENT_BODY: tuple[str, ...] = (
    "一、总体情况：本季度公司营业收入同比增长百分之十八，利润稳步提升。",
    "Revenue grew by 18% year over year, and operating margin reached 21.4%.",
    "二、市场拓展：新开设门店十二家，覆盖华东、华南和西南三个区域。",
    "We opened 12 new stores in East, South and Southwest China this quarter.",
    "三、产品研发：完成新一代智能终端的设计评审，计划于六月正式发布。",
    "The design review of the next smart terminal is done; launch is set for June.",
    "四、客户服务：客户满意度达到百分之九十六，投诉处理时间缩短一半。",
    "Customer satisfaction rose to 96%, and complaint handling time was halved.",
    "五、人才建设：全年计划招聘工程师八十名，目前已完成三十五名。",
    "Hiring plan: 80 engineers this year, 35 of them already on board.",
    "六、下季度重点：控制成本，提升效率，加快数字化转型的步伐。",
    "Next quarter: control costs, raise efficiency and speed up digital work.",
    "联系人：王经理 电话：021-58881234 邮箱：report@example.com",
    "Prepared by the Finance Department, Shanghai, April 8, 2024",
)

INVOICE_ITEMS: tuple[tuple[str, str, str, str], ...] = (
    ("办公桌椅套装", "BX-1200", "4", "1580.00"),
    ("激光打印机", "HP M404dn", "2", "2399.00"),
    ("复印纸A4", "70g 500张", "30", "25.50"),
    ("无线键盘鼠标", "K380", "10", "189.00"),
    ("显示器27英寸", "U2723QE", "6", "3299.00"),
    ("文件柜", "FC-4D", "3", "860.00"),
    ("签字笔", "0.5mm 黑色", "100", "2.80"),
    ("笔记本电脑", "ThinkPad E14", "5", "5699.00"),
    ("投影仪", "EB-X51", "1", "3150.00"),
    ("网络交换机", "S1730S-24", "2", "980.00"),
    ("会议电话", "CP960", "1", "4200.00"),
    ("碎纸机", "SD-9520", "2", "699.00"),
)

SIGN_LINES = ("中山北路", "Zhongshan Rd. (N)", "人民广场 People's Square 500m")

HANDWRITING_LINES = (
    "明天上午十点开会，记得带报告",
    "买菜：鸡蛋、牛奶、西红柿",
    "Call Mr. Wang at 3pm",
    "周五前交房租2800元",
    "图书馆借的书下周三到期",
    "Remember to water the plants",
)

PRODUCTS = (
    "苹果",
    "香蕉",
    "牛奶",
    "面包",
    "鸡蛋",
    "大米",
    "酱油",
    "茶叶",
    "咖啡",
    "毛巾",
    "牙膏",
    "雨伞",
    "电池",
    "台灯",
    "水杯",
    "书包",
)
