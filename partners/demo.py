"""The partners part of the demo network (``python manage.py seed_demo``).

It reproduces the facts of seed 000 (README, "Demo data") and carries them on
to the end of 2026: the hub 南宁市同心源 and 9 partners (10 active organisations) run 16 operating
centres in exactly 8 of Guangxi's 14 prefectures; the hub runs 4 of them in Nanning, the first two
opened in April 2018 in urban-village community service centres; 5 partners have grown, 3 have opened
a second site and 3 more have an active expansion plan. Three prospects and applicants in uncovered
prefectures have no centre yet. The history (status changes, operation assessments, awards,
shareable experience) goes back to 2018 so that later features have something to count.

Every row is found by a natural key (an organisation's full name, a centre's organisation and name,
a person's e-mail, an assessment's centre and date ...), so running the seed twice leaves the same
data. Dates are fixed, not relative to today, so the demo reads the same on every machine.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from hubsite.core.roles import Role

from . import growth_demo
from .choices import (
    CentreStatus,
    DevelopmentStage,
    ExpansionStatus,
    ExperienceArea,
    OrganisationStatus,
    Position,
    Rating,
    SiteType,
)
from .geodata import load_guangxi
from .models import (
    Award,
    Centre,
    CentreAssessment,
    County,
    ExpansionPlan,
    Organisation,
    OrganisationStatusChange,
    Prefecture,
    Province,
    SharedExperience,
    User,
)

PASSWORD = "demo-hub-2024"

# The day the demo's story is told up to; later seeders may use it as "now" for their history.
DEMO_DATE = datetime.date(2026, 11, 22)

HUB_NAME = "南宁市同心源社会工作服务中心"
FUNDER = "活力未来"

COVERED_PREFECTURES = ("450100", "450200", "450300", "450800", "450900", "451000", "451200", "451300")
UNCOVERED_PREFECTURES = ("450400", "450500", "450600", "450700", "451100", "451400")

D = datetime.date
P, A, ACT, PAUSED = (
    OrganisationStatus.PROSPECT,
    OrganisationStatus.APPLICANT,
    OrganisationStatus.ACTIVE,
    OrganisationStatus.PAUSED,
)
EXC, GOOD, MEETS, NEEDS = Rating.EXCELLENT, Rating.GOOD, Rating.MEETS_STANDARD, Rating.NEEDS_IMPROVEMENT
COMMUNITY, SERVICE_CENTRE, KINDERGARTEN = (
    SiteType.COMMUNITY,
    SiteType.COMMUNITY_SERVICE_CENTRE,
    SiteType.KINDERGARTEN,
)

# (prefecture code, county name, county code)
COUNTIES = [
    ("450100", "西乡塘区", "450107"),
    ("450100", "江南区", "450105"),
    ("450100", "青秀区", "450103"),
    ("450100", "良庆区", "450108"),
    ("450100", "兴宁区", "450102"),
    ("450200", "柳北区", "450205"),
    ("450200", "鱼峰区", "450203"),
    ("450300", "七星区", "450305"),
    ("450300", "临桂区", "450312"),
    ("450400", "万秀区", "450403"),
    ("450700", "钦南区", "450702"),
    ("450800", "港北区", "450802"),
    ("450900", "玉州区", "450902"),
    ("451000", "田东县", "451022"),
    ("451100", "八步区", "451102"),
    ("451200", "都安瑶族自治县", "451228"),
    ("451200", "宜州区", "451203"),
    ("451300", "兴宾区", "451302"),
]

# Each organisation: its profile and its status history, oldest first. The first step has no
# "from" status (the day the hub first recorded it); the last step is its current status.
ORGANISATIONS = [
    {
        "name": HUB_NAME,
        "short_name": "同心源",
        "prefecture": "450100",
        "county": "西乡塘区",
        "address": "南宁市西乡塘区心圩街道心圩社区服务中心二楼",
        "contact_name": "黄丽萍",
        "contact_phone": "0771-5381201",
        "contact_email": "tongxinyuan@example.org",
        "description": (
            "扎根城中村社区的综合性社会工作服务机构。2018年4月在两个城中村社区服务中心启动0-3岁儿童"
            "早期发展服务，2022年起得到心和基金会支持，与活力未来达成三方合作，转型为广西区域"
            "亲子园推广的枢纽、支持型机构：宣传推广、运营管理、示范、教学指导。"
        ),
        "is_hub": True,
        "project_started_on": D(2018, 4, 16),
        "stage": "",
        "history": [
            ("", ACT, D(2018, 4, 16), "在两个城中村社区服务中心启动0-3岁儿童早期发展服务。"),
        ],
    },
    {
        "name": "玉林市春苗社会工作服务中心",
        "short_name": "玉林春苗",
        "prefecture": "450900",
        "county": "玉州区",
        "address": "玉林市玉州区名山街道春苗社区服务站",
        "contact_name": "陈美玲",
        "contact_phone": "0775-2683310",
        "contact_email": "yulin-chunmiao@example.org",
        "description": "服务流动家庭与留守儿童的社工机构，第一批加入活力未来亲子园的广西伙伴之一。",
        "project_started_on": D(2021, 12, 1),
        "stage": DevelopmentStage.GROWING,
        "history": [
            ("", P, D(2021, 7, 20), "参加2021年7月活力未来亲子园广西交流会。"),
            (P, A, D(2021, 10, 15), "提交活力未来亲子园项目申请书。"),
            (A, ACT, D(2021, 12, 1), "项目申请获批，签订合作协议。"),
        ],
    },
    {
        "name": "都安瑶山社会工作服务中心",
        "short_name": "都安瑶山",
        "prefecture": "451200",
        "county": "都安瑶族自治县",
        "address": "河池市都安瑶族自治县安阳镇民族路68号",
        "contact_name": "韦秀兰",
        "contact_phone": "0778-5216631",
        "contact_email": "duan-yaoshan@example.org",
        "description": "立足瑶族聚居山区的社工机构，关注留守儿童与祖辈养育家庭。",
        "project_started_on": D(2022, 3, 1),
        "stage": DevelopmentStage.GROWING,
        "history": [
            ("", P, D(2021, 7, 20), "参加2021年7月活力未来亲子园广西交流会。"),
            (P, A, D(2021, 12, 10), "在同心源陪伴下完成项目申请书。"),
            (A, ACT, D(2022, 3, 1), "项目申请获批，签订合作协议。"),
        ],
    },
    {
        "name": "柳州市启航社会工作服务中心",
        "short_name": "柳州启航",
        "prefecture": "450200",
        "county": "柳北区",
        "address": "柳州市柳北区雀儿山路12号",
        "contact_name": "覃卫国",
        "contact_phone": "0772-3125578",
        "contact_email": "liuzhou-qihang@example.org",
        "description": "承接街道社区服务的社工机构，以亲子园带动社区家庭教育服务。",
        "project_started_on": D(2022, 4, 1),
        "stage": DevelopmentStage.GROWING,
        "history": [
            ("", P, D(2021, 7, 20), "参加2021年7月活力未来亲子园广西交流会。"),
            (P, A, D(2022, 1, 12), "提交活力未来亲子园项目申请书。"),
            (A, ACT, D(2022, 4, 1), "项目申请获批，签订合作协议。"),
        ],
    },
    {
        "name": "桂林现代促进会",
        "short_name": "桂林现代",
        "prefecture": "450300",
        "county": "七星区",
        "address": "桂林市七星区七星路96号",
        "contact_name": "唐建华",
        "contact_phone": "0773-5862204",
        "contact_email": "guilin-xiandai@example.org",
        "description": "桂林本地的公益促进会，开展早期阅读推广与社区亲子服务。",
        "project_started_on": D(2022, 6, 1),
        "stage": DevelopmentStage.GROWING,
        "history": [
            ("", P, D(2021, 7, 20), "参加2021年7月活力未来亲子园广西交流会。"),
            (P, A, D(2022, 3, 8), "提交活力未来亲子园项目申请书。"),
            (A, ACT, D(2022, 6, 1), "项目申请获批，签订合作协议。"),
        ],
    },
    {
        "name": "田东晨曦社会工作服务中心",
        "short_name": "田东晨曦",
        "prefecture": "451000",
        "county": "田东县",
        "address": "百色市田东县平马镇东宁路21号",
        "contact_name": "黄春梅",
        "contact_phone": "0776-5225186",
        "contact_email": "tiandong-chenxi@example.org",
        "description": "服务田东县城及周边乡镇家庭的社工机构，擅长用壮语儿歌开展亲子活动。",
        "project_started_on": D(2022, 9, 1),
        "stage": DevelopmentStage.GROWING,
        "history": [
            ("", P, D(2022, 3, 18), "到同心源亲子园实地走访了解项目。"),
            (P, A, D(2022, 6, 20), "提交活力未来亲子园项目申请书。"),
            (A, ACT, D(2022, 9, 1), "项目申请获批，签订合作协议。"),
        ],
    },
    {
        "name": "贵港市同行社会工作服务中心",
        "short_name": "贵港同行",
        "prefecture": "450800",
        "county": "港北区",
        "address": "贵港市港北区中山北路33号",
        "contact_name": "梁嘉怡",
        "contact_phone": "0775-4236619",
        "contact_email": "guigang-tongxing@example.org",
        "description": "以流动儿童与社区家庭为主要服务对象的社工机构。",
        "project_started_on": D(2023, 3, 1),
        "stage": DevelopmentStage.STARTUP,
        "history": [
            ("", P, D(2022, 5, 16), "参加同心源举办的0-3岁儿童早期发展服务培训。"),
            (P, A, D(2022, 11, 7), "提交活力未来亲子园项目申请书。"),
            (A, ACT, D(2023, 3, 1), "项目申请获批，签订合作协议。"),
            (ACT, PAUSED, D(2024, 1, 15), "亲子园老师离职，暂停开园并重新招募。"),
            (PAUSED, ACT, D(2024, 5, 6), "新老师完成培训，亲子园恢复开放。"),
        ],
    },
    {
        "name": "来宾市益家社会工作服务中心",
        "short_name": "来宾益家",
        "prefecture": "451300",
        "county": "兴宾区",
        "address": "来宾市兴宾区城东街道益家社区服务站",
        "contact_name": "韦海燕",
        "contact_phone": "0772-4213357",
        "contact_email": "laibin-yijia@example.org",
        "description": "来宾市城区的社工机构，亲子园设在老旧小区的社区活动室。",
        "project_started_on": D(2023, 9, 1),
        "stage": DevelopmentStage.STARTUP,
        "history": [
            ("", P, D(2022, 8, 22), "通过伙伴机构推荐与同心源建立联系。"),
            (P, A, D(2023, 4, 10), "提交活力未来亲子园项目申请书。"),
            (A, ACT, D(2023, 9, 1), "项目申请获批，签订合作协议。"),
        ],
    },
    {
        "name": "南宁市邻里守望社会工作服务中心",
        "short_name": "南宁邻里",
        "prefecture": "450100",
        "county": "兴宁区",
        "address": "南宁市兴宁区朝阳街道邻里中心三楼",
        "contact_name": "陆明慧",
        "contact_phone": "0771-5607723",
        "contact_email": "nanning-linli@example.org",
        "description": "南宁兴宁区的社区社工机构，2024年起在社区开办亲子园。",
        "project_started_on": D(2024, 3, 1),
        "stage": DevelopmentStage.SPROUTING,
        "history": [
            ("", P, D(2023, 6, 12), "参加2023年上半年全区交流会。"),
            (P, A, D(2023, 12, 5), "提交活力未来亲子园项目申请书。"),
            (A, ACT, D(2024, 3, 1), "项目申请获批，签订合作协议。"),
        ],
    },
    {
        "name": "河池市宜州区阳光社会工作服务中心",
        "short_name": "宜州阳光",
        "prefecture": "451200",
        "county": "宜州区",
        "address": "河池市宜州区庆远镇城西路45号",
        "contact_name": "莫建平",
        "contact_phone": "0778-3152290",
        "contact_email": "yizhou-yangguang@example.org",
        "description": "宜州区的社工机构，与公办幼儿园合作开办亲子园。",
        "project_started_on": D(2024, 6, 1),
        "stage": DevelopmentStage.SPROUTING,
        "history": [
            ("", P, D(2023, 8, 28), "都安瑶山推荐，参加月度小议题会议旁听。"),
            (P, A, D(2024, 2, 26), "提交活力未来亲子园项目申请书。"),
            (A, ACT, D(2024, 6, 1), "项目申请获批，签订合作协议。"),
        ],
    },
    # Prospects and applicants in prefectures the network does not cover yet: no centre.
    {
        "name": "梧州市乐童社会工作服务中心",
        "short_name": "梧州乐童",
        "prefecture": "450400",
        "county": "万秀区",
        "address": "梧州市万秀区西江二路18号",
        "contact_name": "冯丽娟",
        "contact_phone": "0774-2816645",
        "contact_email": "wuzhou-letong@example.org",
        "description": "梧州市区的儿童服务社工机构，正在申请开办第一个亲子园。",
        "project_started_on": None,
        "stage": DevelopmentStage.SPROUTING,
        "history": [
            ("", P, D(2025, 6, 18), "参加2025年上半年全区交流会。"),
            (P, A, D(2026, 9, 1), "提交活力未来亲子园项目申请书，计划在社区服务中心开园。"),
        ],
    },
    {
        "name": "钦州市海湾社会工作服务中心",
        "short_name": "钦州海湾",
        "prefecture": "450700",
        "county": "钦南区",
        "address": "钦州市钦南区文峰南路7号",
        "contact_name": "劳志远",
        "contact_phone": "0777-2851136",
        "contact_email": "qinzhou-haiwan@example.org",
        "description": "钦州的社区社工机构，对0-3岁儿童早期发展服务有意向。",
        "project_started_on": None,
        "stage": "",
        "history": [
            ("", P, D(2025, 11, 10), "参加同心源0-3岁儿童早期发展服务推广培训。"),
        ],
    },
    {
        "name": "贺州市暖阳社会工作服务中心",
        "short_name": "贺州暖阳",
        "prefecture": "451100",
        "county": "八步区",
        "address": "贺州市八步区建设中路52号",
        "contact_name": "钟晓兰",
        "contact_phone": "0774-5129087",
        "contact_email": "hezhou-nuanyang@example.org",
        "description": "贺州的社工机构，2026年到同心源亲子园实地走访。",
        "project_started_on": None,
        "stage": "",
        "history": [
            ("", P, D(2026, 5, 20), "到同心源心圩亲子园实地走访。"),
        ],
    },
]

# (organisation short name, name, county, address, site type, opened, closed or None, status,
#  demonstration, capacity, assessments [(date, rating, assessor, notes)])
HUB_SUPERVISION = "同心源教学督导组"
FUNDER_TEAM = "活力未来项目部"
CENTRES = [
    (
        "同心源",
        "心圩社区服务中心亲子园",
        "西乡塘区",
        "南宁市西乡塘区心圩街道心圩社区服务中心二楼",
        SERVICE_CENTRE,
        D(2018, 4, 16),
        None,
        CentreStatus.OPERATING,
        True,
        20,
        [
            (D(2019, 6, 20), MEETS, FUNDER_TEAM, "场地安全达标，课程按计划开展。"),
            (D(2020, 12, 10), GOOD, FUNDER_TEAM, "家长参与稳定，志愿者轮值成形。"),
            (D(2022, 12, 8), EXC, FUNDER_TEAM, "设为示范亲子园，接待伙伴机构走访。"),
            (D(2024, 12, 12), EXC, HUB_SUPERVISION, "示范教学服务点，课程记录完整。"),
            (D(2026, 6, 18), EXC, HUB_SUPERVISION, "保持优秀。"),
        ],
    ),
    (
        "同心源",
        "沙井社区服务中心亲子园",
        "江南区",
        "南宁市江南区沙井街道沙井社区服务中心一楼",
        SERVICE_CENTRE,
        D(2018, 4, 23),
        None,
        CentreStatus.OPERATING,
        False,
        15,
        [
            (D(2019, 6, 21), NEEDS, FUNDER_TEAM, "开放时间不稳定，需固定早教课时段。"),
            (D(2020, 12, 11), MEETS, FUNDER_TEAM, "固定每周三次开放。"),
            (D(2022, 12, 9), GOOD, FUNDER_TEAM, "早教课出勤率明显提高。"),
            (D(2024, 12, 13), GOOD, HUB_SUPERVISION, ""),
            (D(2026, 6, 19), GOOD, HUB_SUPERVISION, ""),
        ],
    ),
    (
        "同心源",
        "凤岭北社区亲子园",
        "青秀区",
        "南宁市青秀区凤岭北社区居委会活动室",
        COMMUNITY,
        D(2020, 9, 7),
        None,
        CentreStatus.OPERATING,
        False,
        15,
        [
            (D(2021, 6, 15), MEETS, FUNDER_TEAM, ""),
            (D(2023, 6, 14), GOOD, HUB_SUPERVISION, "社区居委会提供长期场地支持。"),
            (D(2025, 6, 17), GOOD, HUB_SUPERVISION, ""),
        ],
    ),
    (
        "同心源",
        "良庆蒲庙幼儿园亲子园",
        "良庆区",
        "南宁市良庆区大沙田街道蒲庙幼儿园内",
        KINDERGARTEN,
        D(2023, 3, 6),
        None,
        CentreStatus.OPERATING,
        True,
        25,
        [
            (D(2023, 12, 14), GOOD, HUB_SUPERVISION, "幼儿园类型示范点，托幼衔接课程。"),
            (D(2025, 6, 18), EXC, HUB_SUPERVISION, "设为幼儿园类型示范教学服务点。"),
        ],
    ),
    (
        "玉林春苗",
        "春苗名山社区亲子园",
        "玉州区",
        "玉林市玉州区名山街道春苗社区服务站",
        COMMUNITY,
        D(2022, 1, 10),
        None,
        CentreStatus.OPERATING,
        False,
        15,
        [
            (D(2022, 12, 6), MEETS, HUB_SUPERVISION, ""),
            (D(2024, 6, 12), GOOD, HUB_SUPERVISION, "流动家庭借阅角使用率高。"),
            (D(2026, 6, 10), GOOD, HUB_SUPERVISION, ""),
        ],
    ),
    (
        "玉林春苗",
        "春苗城北幼儿园亲子园（试点）",
        "玉州区",
        "玉林市玉州区城北街道某民办幼儿园内",
        KINDERGARTEN,
        D(2022, 9, 5),
        D(2023, 7, 31),
        CentreStatus.CLOSED,
        False,
        10,
        [
            (D(2023, 3, 15), NEEDS, HUB_SUPERVISION, "幼儿园场地使用时间受限，试点结束后关闭。"),
        ],
    ),
    (
        "都安瑶山",
        "都安县城亲子园",
        "都安瑶族自治县",
        "河池市都安瑶族自治县安阳镇民族路68号一楼",
        COMMUNITY,
        D(2022, 5, 1),
        None,
        CentreStatus.OPERATING,
        False,
        20,
        [
            (D(2022, 12, 15), MEETS, HUB_SUPERVISION, ""),
            (D(2023, 12, 12), GOOD, HUB_SUPERVISION, "家长志愿者轮值开园。"),
            (D(2025, 6, 11), GOOD, HUB_SUPERVISION, ""),
            (D(2026, 6, 16), EXC, HUB_SUPERVISION, "瑶族家庭参与度高，可作为山区示范。"),
        ],
    ),
    (
        "都安瑶山",
        "都安高岭社区亲子园",
        "都安瑶族自治县",
        "河池市都安瑶族自治县高岭镇高岭社区服务中心",
        SERVICE_CENTRE,
        D(2024, 3, 18),
        None,
        CentreStatus.OPERATING,
        False,
        15,
        [
            (D(2025, 3, 20), MEETS, HUB_SUPERVISION, ""),
            (D(2026, 6, 17), MEETS, HUB_SUPERVISION, "新老师仍需教学陪伴。"),
        ],
    ),
    (
        "柳州启航",
        "雀儿山社区亲子园",
        "柳北区",
        "柳州市柳北区雀儿山社区居委会一楼",
        COMMUNITY,
        D(2022, 6, 13),
        None,
        CentreStatus.OPERATING,
        False,
        15,
        [
            (D(2023, 6, 8), MEETS, HUB_SUPERVISION, ""),
            (D(2024, 6, 13), GOOD, HUB_SUPERVISION, ""),
            (D(2026, 6, 9), GOOD, HUB_SUPERVISION, ""),
        ],
    ),
    (
        "柳州启航",
        "箭盘山社区服务中心亲子园",
        "鱼峰区",
        "柳州市鱼峰区箭盘山社区服务中心二楼",
        SERVICE_CENTRE,
        D(2024, 9, 2),
        None,
        CentreStatus.OPERATING,
        False,
        15,
        [
            (D(2025, 9, 10), MEETS, HUB_SUPERVISION, ""),
        ],
    ),
    (
        "桂林现代",
        "桂林七星亲子园",
        "七星区",
        "桂林市七星区七星路96号社区服务中心",
        SERVICE_CENTRE,
        D(2022, 9, 1),
        None,
        CentreStatus.OPERATING,
        False,
        20,
        [
            (D(2023, 6, 6), MEETS, HUB_SUPERVISION, ""),
            (D(2024, 6, 5), GOOD, HUB_SUPERVISION, "早期阅读活动有特色。"),
            (D(2025, 12, 9), EXC, HUB_SUPERVISION, "与社区卫生服务中心联动开展发育筛查。"),
        ],
    ),
    (
        "桂林现代",
        "临桂实验幼儿园亲子园",
        "临桂区",
        "桂林市临桂区临桂实验幼儿园内",
        KINDERGARTEN,
        D(2024, 5, 20),
        None,
        CentreStatus.OPERATING,
        False,
        20,
        [
            (D(2025, 6, 4), MEETS, HUB_SUPERVISION, ""),
        ],
    ),
    (
        "田东晨曦",
        "平马社区亲子园",
        "田东县",
        "百色市田东县平马镇东宁社区居委会",
        COMMUNITY,
        D(2022, 11, 7),
        None,
        CentreStatus.OPERATING,
        False,
        15,
        [
            (D(2023, 10, 18), MEETS, HUB_SUPERVISION, ""),
            (D(2024, 10, 16), GOOD, HUB_SUPERVISION, "壮语儿歌融入早教课。"),
            (D(2026, 4, 22), GOOD, HUB_SUPERVISION, ""),
        ],
    ),
    (
        "贵港同行",
        "港北中山社区服务中心亲子园",
        "港北区",
        "贵港市港北区中山社区服务中心一楼",
        SERVICE_CENTRE,
        D(2023, 5, 8),
        None,
        CentreStatus.OPERATING,
        False,
        15,
        [
            (D(2024, 4, 17), NEEDS, HUB_SUPERVISION, "老师离职期间暂停开放，课程中断。"),
            (D(2025, 4, 16), MEETS, HUB_SUPERVISION, "恢复常态化开放。"),
            (D(2026, 4, 21), MEETS, HUB_SUPERVISION, ""),
        ],
    ),
    (
        "来宾益家",
        "城东益家社区亲子园",
        "兴宾区",
        "来宾市兴宾区城东街道益家社区活动室",
        COMMUNITY,
        D(2023, 11, 6),
        None,
        CentreStatus.OPERATING,
        False,
        12,
        [
            (D(2024, 11, 13), MEETS, HUB_SUPERVISION, ""),
            (D(2026, 10, 28), NEEDS, HUB_SUPERVISION, "开放天数不足，家长流失，需制定改进计划。"),
        ],
    ),
    (
        "南宁邻里",
        "朝阳邻里中心亲子园",
        "兴宁区",
        "南宁市兴宁区朝阳街道邻里中心三楼",
        SERVICE_CENTRE,
        D(2024, 5, 13),
        None,
        CentreStatus.OPERATING,
        False,
        15,
        [
            (D(2025, 5, 21), MEETS, HUB_SUPERVISION, ""),
            (D(2026, 5, 20), MEETS, HUB_SUPERVISION, ""),
        ],
    ),
    (
        "宜州阳光",
        "宜州庆远幼儿园亲子园",
        "宜州区",
        "河池市宜州区庆远镇中心幼儿园内",
        KINDERGARTEN,
        D(2024, 8, 26),
        None,
        CentreStatus.OPERATING,
        False,
        20,
        [
            (D(2025, 8, 27), MEETS, HUB_SUPERVISION, ""),
        ],
    ),
]

OPENING_HOURS = {
    COMMUNITY: "周二至周六 9:00-11:30，15:00-17:30",
    SERVICE_CENTRE: "周二至周日 9:00-11:30，15:00-17:30",
    KINDERGARTEN: "周一至周五 15:30-17:30，周六 9:00-11:30",
}

# (organisation, planned sites, target date, status, description). The three done plans are the
# second sites already opened; the three active ones are the applications to expand (seed 000).
EXPANSION_PLANS = [
    ("都安瑶山", 1, D(2024, 3, 1), ExpansionStatus.DONE, "在高岭镇社区服务中心开设第二个亲子园。"),
    ("柳州启航", 1, D(2024, 9, 1), ExpansionStatus.DONE, "在鱼峰区箭盘山社区服务中心开设第二个亲子园。"),
    ("桂林现代", 1, D(2024, 5, 1), ExpansionStatus.DONE, "与临桂实验幼儿园合作开设幼儿园亲子园。"),
    ("玉林春苗", 1, D(2027, 3, 1), ExpansionStatus.PLANNED, "在北流市流动人口聚居社区开设第二个亲子园。"),
    (
        "田东晨曦",
        1,
        D(2027, 1, 1),
        ExpansionStatus.IN_PROGRESS,
        "在祥周镇社区服务中心开设第二个亲子园，场地已落实。",
    ),
    ("贵港同行", 1, D(2027, 6, 1), ExpansionStatus.PLANNED, "与港北区一所公办幼儿园洽谈合作开园。"),
]

# (organisation, issuer, year, title, from the programme funder)
AWARDS = [
    ("同心源", "南宁市西乡塘区民政局", 2021, "西乡塘区优秀社会工作服务项目", False),
    ("同心源", FUNDER, 2023, "活力未来亲子园区域推广合作伙伴", True),
    ("玉林春苗", FUNDER, 2022, "活力亲子园优秀新园奖", True),
    ("都安瑶山", FUNDER, 2023, "活力亲子园年度优秀执行机构", True),
    ("桂林现代", FUNDER, 2023, "活力亲子园年度优秀执行机构", True),
    ("田东晨曦", FUNDER, 2024, "活力亲子园优秀教学团队", True),
    ("柳州启航", FUNDER, 2025, "活力亲子园年度优秀执行机构", True),
    ("同心源", "公益筹款Leader营", 2024, "2024年公益筹款Leader营入选机构", False),
    ("都安瑶山", "公益筹款Leader营", 2024, "2024年公益筹款Leader营入选机构", False),
    ("桂林现代", "公益筹款Leader营", 2024, "2024年公益筹款Leader营入选机构", False),
    ("田东晨曦", "公益筹款Leader营", 2024, "2024年公益筹款Leader营入选机构", False),
    ("贵港同行", "贵港市民政局", 2025, "贵港市优秀社会工作服务案例", False),
]

# Partners shared their experience at the regional exchange meeting of June 2024 (seed 000) and the
# hub endorsed the good ones the month after: the 2024 mutual-aid review counts what was recorded by
# its date, so the rows carry these days rather than the day the demo was seeded.
EXPERIENCE_SHARED_ON = D(2024, 6, 20)
EXPERIENCE_ENDORSED_ON = D(2024, 7, 10)
# A plan is recorded some months before its target (the done ones); the plans for 2027 came with the
# 2026 planning round, after the 2024 review.
PLAN_LEAD_DAYS = 180
LATER_PLANS_RECORDED_ON = D(2025, 10, 15)

# (organisation, area, title, text, endorsed by hub staff)
EXPERIENCES = [
    (
        "同心源",
        ExperienceArea.TEACHING,
        "城中村亲子园的混龄早教课设计",
        "把0-1岁、1-2岁、2-3岁的宝宝放在同一节课里：同一个主题，三档难度的材料，老师示范后由家长带领。",
        True,
    ),
    (
        "都安瑶山",
        ExperienceArea.OPERATIONS,
        "家长志愿者轮值开园",
        "山区老师少，由受过培训的家长志愿者排班轮值，老师每周集中上两次早教课，开放天数翻倍。",
        True,
    ),
    (
        "桂林现代",
        ExperienceArea.OPERATIONS,
        "与社区卫生服务中心联动做发育筛查",
        "每季度请社区卫生服务中心的医生到亲子园做发育筛查和养育咨询，新家庭由此登记入园。",
        True,
    ),
    (
        "田东晨曦",
        ExperienceArea.TEACHING,
        "用壮语儿歌开场的亲子早教课",
        "祖辈带养的家庭更愿意开口：每节课用一首壮语儿歌开场，再过渡到普通话的亲子游戏。",
        True,
    ),
    (
        "柳州启航",
        ExperienceArea.OPERATIONS,
        "从一个园到两个园：第二个项目点的选址",
        "先和街道谈好免租场地和开放时间，再用第一个园的家长口碑招募新家庭。",
        False,
    ),
    (
        "玉林春苗",
        ExperienceArea.OTHER,
        "流动家庭的早期阅读借阅角",
        "绘本按月龄分筐，借阅登记贴在墙上，家长之间互相提醒归还。",
        False,
    ),
]

# (e-mail, name, role, organisation short name or None, position, phone). The first six are the
# demo logins of the README; everyone has the same demo password.
PEOPLE = [
    ("hub@example.org", "黄丽萍", Role.HUB_ADMIN, "同心源", "", "13900000101"),
    ("staff@example.org", "覃晓燕", Role.HUB_STAFF, "同心源", Position.MANAGER, "13900000102"),
    ("director@example.org", "韦秀兰", Role.DIRECTOR, "都安瑶山", "", "13900000201"),
    ("partner@example.org", "蓝春燕", Role.PARTNER_STAFF, "都安瑶山", Position.TEACHER, "13900000202"),
    ("other@example.org", "李晓红", Role.PARTNER_STAFF, "桂林现代", Position.TEACHER, "13900000301"),
    ("viewer@example.org", "周敏", Role.VIEWER, None, "", ""),
    ("liang.zhiqiang@example.org", "梁志强", Role.HUB_STAFF, "同心源", Position.OTHER, "13900000103"),
    ("lu.jiamin@example.org", "陆嘉敏", Role.HUB_STAFF, "同心源", Position.MANAGER, "13900000104"),
    ("meng.lihua@example.org", "蒙丽华", Role.PARTNER_STAFF, "都安瑶山", Position.MANAGER, "13900000203"),
    ("tang.jianhua@example.org", "唐建华", Role.DIRECTOR, "桂林现代", "", "13900000302"),
    ("mo.xiaojing@example.org", "莫晓静", Role.PARTNER_STAFF, "桂林现代", Position.MANAGER, "13900000303"),
    ("huang.chunmei@example.org", "黄春梅", Role.DIRECTOR, "田东晨曦", "", "13900000401"),
    ("nong.yanling@example.org", "农燕玲", Role.PARTNER_STAFF, "田东晨曦", Position.TEACHER, "13900000402"),
    ("tan.weiguo@example.org", "覃卫国", Role.DIRECTOR, "柳州启航", "", "13900000501"),
    ("zhou.jing@example.org", "周静", Role.PARTNER_STAFF, "柳州启航", Position.MANAGER, "13900000502"),
    ("liao.fang@example.org", "廖芳", Role.PARTNER_STAFF, "柳州启航", Position.TEACHER, "13900000503"),
    ("chen.meiling@example.org", "陈美玲", Role.DIRECTOR, "玉林春苗", "", "13900000601"),
    ("pang.xiaoli@example.org", "庞晓丽", Role.PARTNER_STAFF, "玉林春苗", Position.TEACHER, "13900000602"),
    ("liang.jiayi@example.org", "梁嘉怡", Role.DIRECTOR, "贵港同行", "", "13900000701"),
    ("gan.lu@example.org", "甘露", Role.PARTNER_STAFF, "贵港同行", Position.TEACHER, "13900000702"),
    ("wei.haiyan@example.org", "韦海燕", Role.DIRECTOR, "来宾益家", "", "13900000801"),
    ("lan.ting@example.org", "蓝婷", Role.PARTNER_STAFF, "来宾益家", Position.TEACHER, "13900000802"),
    ("lu.minghui@example.org", "陆明慧", Role.DIRECTOR, "南宁邻里", "", "13900000901"),
    ("he.xue@example.org", "何雪", Role.PARTNER_STAFF, "南宁邻里", Position.TEACHER, "13900000902"),
    ("mo.jianping@example.org", "莫建平", Role.DIRECTOR, "宜州阳光", "", "13900001001"),
    ("wu.shanshan@example.org", "吴姗姗", Role.PARTNER_STAFF, "宜州阳光", Position.TEACHER, "13900001002"),
]
DEMO_LOGINS = [row[0] for row in PEOPLE[:6]]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A plausible moment on a historical day, in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed(ctx: dict) -> None:
    """Create or update the demo network; put its objects in ``ctx`` for the other apps' seeders.

    ``ctx`` gets: ``prefectures`` (by code), ``hub``, ``orgs`` (by short name), ``users`` (by
    e-mail), ``centres`` (by name), ``demo_date`` and ``password``.
    """
    # Transactional test databases are flushed, so make sure the migration's geodata is there.
    load_guangxi(Province, Prefecture)
    prefectures = {p.code: p for p in Prefecture.objects.all()}
    counties = {}
    for code, name, county_code in COUNTIES:
        counties[name], _ = County.objects.update_or_create(
            prefecture=prefectures[code], name=name, defaults={"code": county_code}
        )

    orgs = _seed_organisations(prefectures, counties)
    users = _seed_people(orgs)
    _seed_status_history(orgs, users["hub@example.org"])
    centres = _seed_centres(orgs, counties, users["liang.zhiqiang@example.org"])
    _seed_profiles(orgs, users["staff@example.org"])
    growth_demo.seed(orgs, users, DEMO_DATE)

    ctx.update(
        prefectures=prefectures,
        hub=orgs["同心源"],
        orgs=orgs,
        users=users,
        centres=centres,
        demo_date=DEMO_DATE,
        password=PASSWORD,
    )


def _seed_organisations(prefectures, counties) -> dict[str, Organisation]:
    orgs = {}
    for row in ORGANISATIONS:
        history = row["history"]
        joined = next((step[2] for step in history if step[1] == ACT), None)
        org, _ = Organisation.objects.update_or_create(
            name=row["name"],
            defaults={
                "short_name": row["short_name"],
                "prefecture": prefectures[row["prefecture"]],
                "county": counties[row["county"]],
                "address": row["address"],
                "contact_name": row["contact_name"],
                "contact_phone": row["contact_phone"],
                "contact_email": row["contact_email"],
                "description": row["description"],
                "is_hub": row.get("is_hub", False),
                "status": history[-1][1],
                "status_changed_on": history[-1][2],
                "joined_on": joined,
                "project_started_on": row["project_started_on"],
                "stage": row["stage"],
            },
        )
        orgs[org.short_name] = org
    return orgs


def _seed_people(orgs) -> dict[str, User]:
    # One hash for everyone: the default hasher is deliberately slow, and the seed must stay fast.
    password = make_password(PASSWORD)
    hub_admin = None
    users = {}
    for email, name, role, org_name, position, phone in PEOPLE:
        org = orgs[org_name] if org_name else None
        joined = org.joined_on if org and org.joined_on else D(2024, 6, 1)
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={
                "full_name": name,
                "role": role,
                "organisation": org,
                "position": position,
                "phone": phone,
                "is_active": True,
                "password": password,
                "date_joined": _at(joined),
                "invited_by": hub_admin,
                "invited_at": _at(joined, 9) if hub_admin else None,
            },
        )
        hub_admin = hub_admin or user
        users[email] = user
    return users


def _seed_status_history(orgs, hub_admin) -> None:
    for row in ORGANISATIONS:
        org = orgs[row["short_name"]]
        for from_status, to_status, effective_on, reason in row["history"]:
            OrganisationStatusChange.objects.update_or_create(
                organisation=org,
                from_status=from_status,
                to_status=to_status,
                effective_on=effective_on,
                defaults={"reason": reason, "changed_by": hub_admin, "changed_at": _at(effective_on)},
            )


def _seed_centres(orgs, counties, supervisor) -> dict[str, Centre]:
    centres = {}
    for (
        org_name,
        name,
        county,
        address,
        site_type,
        opened,
        closed,
        status,
        demonstration,
        capacity,
        _assessments,
    ) in CENTRES:
        org = orgs[org_name]
        centre, _ = Centre.objects.update_or_create(
            organisation=org,
            name=name,
            defaults={
                "prefecture": org.prefecture,
                "county": counties[county],
                "address": address,
                "site_type": site_type,
                "opened_on": opened,
                "closed_on": closed,
                "status": status,
                "is_demonstration": demonstration,
                "capacity": capacity,
                "opening_hours": "" if closed else OPENING_HOURS[site_type],
                "description": f"{org.display_name}运营的活力未来亲子园，{opened.year}年{opened.month}月开园。",
            },
        )
        centres[name] = centre

    # Assessments go through record_assessment, oldest first, so each keeps the rating it replaced
    # and the centre's latest rating follows; those already recorded (by centre and day) are kept.
    recorded = set(
        CentreAssessment.objects.filter(centre__in=centres.values()).values_list("centre_id", "assessed_on")
    )
    for row in CENTRES:
        centre = centres[row[1]]
        for assessed_on, rating, assessor, notes in sorted(row[-1]):
            if (centre.pk, assessed_on) in recorded:
                continue
            centre.record_assessment(
                assessed_on=assessed_on, rating=rating, assessor=assessor, notes=notes, by=supervisor
            )
    return centres


def _seed_profiles(orgs, endorser) -> None:
    for org_name, planned_sites, target_date, status, description in EXPANSION_PLANS:
        plan, _ = ExpansionPlan.objects.update_or_create(
            organisation=orgs[org_name],
            target_date=target_date,
            defaults={"planned_sites": planned_sites, "status": status, "description": description},
        )
        recorded_on = min(target_date - datetime.timedelta(days=PLAN_LEAD_DAYS), LATER_PLANS_RECORDED_ON)
        # created_at is set on insert only (auto_now_add): the historical day goes in afterwards.
        ExpansionPlan.objects.filter(pk=plan.pk).update(created_at=_at(recorded_on))
    for org_name, issuer, year, title, from_funder in AWARDS:
        Award.objects.update_or_create(
            organisation=orgs[org_name],
            year=year,
            title=title,
            defaults={"issuer": issuer, "from_programme_funder": from_funder},
        )
    for org_name, area, title, text, endorsed in EXPERIENCES:
        experience, _ = SharedExperience.objects.update_or_create(
            organisation=orgs[org_name], title=title, defaults={"area": area, "text": text}
        )
        if endorsed and not experience.is_endorsed:
            experience.endorse(by=endorser)
        SharedExperience.objects.filter(pk=experience.pk).update(
            created_at=_at(EXPERIENCE_SHARED_ON),
            endorsed_at=_at(EXPERIENCE_ENDORSED_ON) if endorsed else None,
        )
