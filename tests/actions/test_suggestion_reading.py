"""What a suggestion's answers name: a category (staff's names and keywords), a place (the town's
places and the shape of an address), a phone number (its shape). What a reply *does* is the
model's reading (tests/rasa_addons/test_form_act.py).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import yaml

from actions import suggestion_reading as reading
from language import nlp
from store.category_repo import CATEGORIES_FILE

CATEGORIES = [
    SimpleNamespace(**{"keywords": [], **raw})
    for raw in yaml.safe_load(CATEGORIES_FILE.read_text(encoding="utf-8"))
]

CATEGORY = [
    # names, parts of names, keys
    ("环境卫生", "environment"), ("算环境卫生吧", "environment"), ("环境", "environment"),
    ("卫生", "environment"), ("【环境卫生】", "environment"), ("就选环境卫生", "environment"),
    ("環境衛生", "environment"), ("环境卫生👍", "environment"), ("应该是环境卫生类", "environment"),
    ("交通出行", "traffic"), ("交通", "traffic"), ("算交通吧", "traffic"), ("出行", "traffic"),
    ("交通出行类的", "traffic"), ("公共设施", "facilities"), ("设施", "facilities"),
    ("算公共设施", "facilities"), ("住房物业", "housing"), ("物业", "housing"), ("住房", "housing"),
    ("物业的事", "housing"), ("为老服务", "eldercare"), ("为老", "eldercare"), ("养老", "eldercare"),
    ("老人的事", "eldercare"), ("就业创业", "employment"), ("就业", "employment"),
    ("创业", "employment"), ("加装电梯", "elevator"), ("电梯", "elevator"), ("加梯的", "elevator"),
    ("其他", "other"), ("就算其他吧", "other"), ("其它", "other"), ("别的", "other"),
    ("都不是", "other"), ("以上都不是", "other"), ("其他吧🙂", "other"),
    # keywords
    ("垃圾的问题", "environment"), ("太吵了", "environment"), ("绿化", "environment"),
    ("停车", "traffic"), ("公交", "traffic"), ("红绿灯的事", "traffic"), ("路灯", "facilities"),
    ("充电桩", "facilities"), ("厕所", "facilities"), ("楼道堆物", "housing"), ("漏水", "housing"),
    ("助餐", "eldercare"), ("招聘", "employment"), ("培训", "employment"),
    # negation: the denied name does not count
    ("不是环境卫生，是交通", "traffic"), ("不算交通，算公共设施", "facilities"),
    ("不是物业，算其他", "other"), ("不是电梯的事，是环境卫生", "environment"),
    ("not transport, environment", "environment"),
    # English
    ("Transport", "traffic"), ("transport please", "traffic"), ("Environment and sanitation", "environment"),
    ("environment", "environment"), ("sanitation", "environment"), ("Public facilities", "facilities"),
    ("facilities", "facilities"), ("Housing and property", "housing"), ("housing", "housing"),
    ("property", "housing"), ("Elder care", "eldercare"), ("elder", "eldercare"),
    ("Jobs and business", "employment"), ("jobs", "employment"), ("business", "employment"),
    ("Elevator installation", "elevator"), ("elevator", "elevator"), ("lift", "elevator"),
    ("Other", "other"), ("other", "other"), ("办事服务", "services"), ("为老服务", "eldercare"),
    ("算办事服务吧", "services"), ("服务", None), ("something else", "other"), ("none of these", "other"),
    ("traffic", "traffic"), ("parking", "traffic"), ("noise", "environment"), ("rubbish", "environment"),
    # nothing to go on
    ("不知道", None), ("嗯", None), ("你好", None), ("哈哈", None), ("🤔", None), ("什么意思", None),
    ("好的", None), ("problem", None), ("asdf", None), ("随便", None), ("是", None), ("不是", None),
]  # fmt: skip


@pytest.mark.parametrize(("message", "expected"), CATEGORY)
def test_category_from_the_answer(message, expected):
    assert reading.read_category(message, CATEGORIES) == expected


def test_enough_category_phrasings():
    assert len(CATEGORY) >= 80


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("建议菜场门口的垃圾桶每天多清运一次", "environment"),
        ("建议在中江路口增设一个红绿灯", "traffic"),
        ("小区里多装几个电动车充电桩", "facilities"),
        ("楼道里堆满了东西没人管", "housing"),
        ("I'd like more benches in the park", "facilities"),
        ("希望镇里多办点活动", None),
    ],
)
def test_category_guessed_from_the_first_message(text, expected):
    assert reading.guess_category(text, CATEGORIES) == expected


LOCATION = [
    # the town's places (standard name found)
    ("中江路", ("中江路", "中江路")), ("在中江路上", ("在中江路上", "中江路")),
    ("上钞苑", ("上钞苑", "上钞苑")), ("桂花苑3号楼", ("桂花苑3号楼", "上钞桂花苑")),
    ("申汉小区门口", ("申汉小区门口", "申汉小区")), ("就在申汉", ("就在申汉", "申汉小区")),
    ("金沙江路和真北路路口", ("金沙江路和真北路路口", "金沙江路")),
    ("梅川路菜场门口", ("梅川路菜场门口", "梅川路")), ("西虬江边上", ("西虬江边上", "西虬江")),
    ("天地软件园附近", ("天地软件园附近", "天地软件园")), ("苏州河边", ("苏州河边", "苏州河长征段")),
    ("泾阳路公交站", ("泾阳路公交站", "泾阳路")), ("银杏苑北门", ("银杏苑北门", "上钞银杏苑")),
    ("金江家园5号楼", ("金江家园5号楼", "金江家园")), ("延川路那边", ("延川路那边", "延川路")),
    ("清峪路口", ("清峪路口", "清峪路")), ("北新泾那一块", ("北新泾那一块", "北新泾地区")),
    ("武威东路上", ("武威东路上", "武威东路")), ("祁连山路", ("祁连山路", "祁连山南路")),
    ("建德小区", ("建德小区", "建德地区")),
    # an address by its pattern
    ("铜川路菜场门口", ("铜川路菜场门口", None)), ("真北路1234弄", ("真北路1234弄", "老真北")),
    ("长征菜场门口", ("长征菜场门口", None)), ("梅岭北路300号", ("梅岭北路300号", None)),
    ("在怒江路上", ("在怒江路上", None)), ("光复西路2号", ("光复西路2号", None)),
    ("曹杨新村", ("曹杨新村", None)), ("阳光花园12号楼", ("阳光花园12号楼", None)),
    ("丽景苑南门", ("丽景苑南门", None)), ("兰溪路和枣阳路路口", ("兰溪路和枣阳路路口", None)),
    ("同普路菜市场", ("同普路菜市场", None)), ("大渡河路地铁站", ("大渡河路地铁站", None)),
    ("安远路88弄", ("安远路88弄", None)), ("棕榈小区", ("棕榈小区", None)),
    ("绿洲公寓门口", ("绿洲公寓门口", None)), ("万里城公园", ("万里城公园", None)),
    # a place said without a name
    ("3号楼下面", ("3号楼下面", None)), ("小区北门", ("小区北门", None)),
    ("我家楼下", ("我家楼下", None)), ("菜场旁边", ("菜场旁边", None)),
    ("地铁站出口", ("地铁站出口", None)), ("小区门口", ("小区门口", None)),
    ("楼道里", ("楼道里", None)), ("公交车站对面", ("公交车站对面", None)),
    ("河边的步道", ("河边的步道", None)), ("12栋和13栋中间", ("12栋和13栋中间", None)),
    ("停车场入口", ("停车场入口", None)), ("学校门口", ("学校门口", None)),
    ("near the market gate", ("near the market gate", None)), ("Zhongjiang Road", ("Zhongjiang Road", None)),
    ("building 5", ("building 5", None)), ("the park by the river", ("the park by the river", None)),
    ("我们小区2号楼", ("我们小区2号楼", None)), ("幼儿园后门", ("幼儿园后门", None)),
    # skipping (the model's act "skip") or anything else: no place
    ("跳过", None), ("不知道", None), ("skip", None), ("不想说", None), ("算了不说了", None),
    # walking, running on a road: not a place
    ("老人小孩走路", None), ("晚上走路", None), ("跑步看不清路", None), ("晚上跑步看不清路", None),
    # neither
    ("你好", None), ("哈哈", None), ("什么意思", None), ("好的", None), ("嗯", None), ("asdf", None),
    ("🤔", None), ("谢谢", None), ("为什么要问这个", None), ("加装电梯要多少钱", None),
]  # fmt: skip


@pytest.mark.parametrize(("message", "expected"), LOCATION)
def test_location_answer(message, expected):
    assert reading.read_location(message, nlp.find_places) == expected


def test_enough_location_phrasings():
    assert len(LOCATION) >= 70


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("建议在铜川路菜场门口多放几个垃圾桶", ("铜川路菜场门口", None)),
        ("希望中江路菜场门口的垃圾每天清运", ("中江路菜场门口", "中江路")),
        ("申汉小区门口总有人乱停车", ("申汉小区门口", "申汉小区")),
        ("建议西虬江边上多装几盏路灯", ("西虬江", "西虬江")),
        ("The streetlights on Zhongjiang Road are broken", ("Zhongjiang Road", None)),
        ("more benches in Changfeng Park please", ("Changfeng Park", None)),
        ("I'd like to suggest more benches in the park", None),
        ("我们小区门口路灯坏了", None),
        ("晚上广场舞太吵了希望管一管", None),
        ("路面坑坑洼洼的希望修一修", None),
        ("希望镇里多办点活动", None),
    ],
)
def test_place_from_any_message(text, place):
    assert reading.read_place(text, nlp.find_places) == place


PHONES = [
    ("13812345678", "13812345678"), ("138 1234 5678", "13812345678"),
    ("138-1234-5678", "13812345678"), ("打我手机13812345678", "13812345678"),
    ("我的电话是021-62541234", "02162541234"), ("１３８１２３４５６７８", "13812345678"),
    ("Call me at 13912345678", "13912345678"), ("不留电话", None), ("跳过", None), ("123", None),
    ("138－1234－5678", "13812345678"), ("138—1234—5678", "13812345678"),
    ("138 - 1234 - 5678", "13812345678"), ("家里电话 62541234", "62541234"),
    ("身份证310105194912310021", None), ("编号1234567", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "phone"), PHONES)
def test_a_phone_number_is_found_by_its_shape(text, phone):
    assert reading.find_phone(text) == phone
