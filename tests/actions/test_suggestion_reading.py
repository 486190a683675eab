"""The suggestion flow's readers of short answers: each row is a phrasing and what it must mean.

With and without negation, typos, Traditional characters, emoji and English. A refusal is never
read as a yes; an answer the reader cannot place is None (the form then says what it expects).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import yaml

from actions import suggestion_reading as reading
from knowledge.suggestion_repo import CATEGORIES_FILE
from language import nlp

CATEGORIES = [
    SimpleNamespace(**{"keywords": [], **raw})
    for raw in yaml.safe_load(CATEGORIES_FILE.read_text(encoding="utf-8"))
]

CONFIRMATION = [
    # explicit yes
    ("确认提交", "yes"), ("确认", "yes"), ("确定", "yes"), ("提交", "yes"), ("提交吧", "yes"),
    ("好的，提交", "yes"), ("好", "yes"), ("好的", "yes"), ("可以", "yes"), ("可以的", "yes"),
    ("行", "yes"), ("行吧", "yes"), ("是的", "yes"), ("对", "yes"), ("没问题", "yes"),
    ("没问题，提交吧", "yes"), ("嗯", "yes"), ("嗯嗯", "yes"), ("确认无误", "yes"),
    ("好的，就这样提交", "yes"), ("OK", "yes"), ("ok", "yes"), ("okay", "yes"), ("yes", "yes"),
    ("Yes please", "yes"), ("yep", "yes"), ("sure", "yes"), ("confirm", "yes"), ("submit", "yes"),
    ("Submit it", "yes"), ("go ahead", "yes"), ("👍", "yes"), ("✅", "yes"), ("👌", "yes"),
    ("确认提交👍", "yes"), ("没错", "yes"), ("确人提交", "yes"), ("不用改了，提交吧", "yes"),
    ("不错，提交", "yes"), ("确定提交！！", "yes"), ("好滴", "yes"), ("可以提交了", "yes"),
    ("確認提交", "yes"), ("提交吧谢谢", "yes"), ("yes, submit it", "yes"), ("sounds good", "yes"),
    # refusals: never saved
    ("不要提交", "cancel"), ("不提交", "cancel"), ("别提交", "cancel"), ("先别提交", "cancel"),
    ("不要", "cancel"), ("不", "cancel"), ("不了", "cancel"), ("取消", "cancel"),
    ("算了", "cancel"), ("算了不提了", "cancel"), ("不用了", "cancel"), ("不想提交了", "cancel"),
    ("不确认", "cancel"), ("no", "cancel"), ("No thanks", "cancel"), ("nope", "cancel"),
    ("don't submit", "cancel"), ("do not submit", "cancel"), ("cancel", "cancel"),
    ("never mind", "cancel"), ("👎", "cancel"), ("❌", "cancel"), ("不行", "cancel"),
    ("不对", "cancel"), ("不要了，谢谢", "cancel"), ("不要提交！！", "cancel"),
    ("不用提交了😊", "cancel"), ("no, don't send it", "cancel"), ("不提交了，谢谢", "cancel"),
    # hesitation: not saved, asked again
    ("先别提交，我再想想", "wait"), ("我再想想", "wait"), ("等一下", "wait"), ("等等", "wait"),
    ("稍等", "wait"), ("让我考虑一下", "wait"), ("晚点再说", "wait"), ("wait", "wait"),
    ("hold on", "wait"), ("not now", "wait"), ("later", "wait"), ("let me think about it", "wait"),
    ("我想想", "wait"), ("回头再说", "wait"), ("好的，我再想想", "wait"),
    # edits
    ("修改内容", "edit_text"), ("我要改内容", "edit_text"), ("改一下内容", "edit_text"),
    ("edit text", "edit_text"), ("修改类别", "edit_category"), ("换个类别", "edit_category"),
    ("改类别", "edit_category"), ("change category", "edit_category"),
    ("修改地点", "edit_location"), ("改地址", "edit_location"), ("改成电话回访", "edit_reply"),
    ("我想留电话", "edit_reply"), ("不用打电话", "edit_reply"), ("别给我打电话", "edit_reply"),
    ("不需要回复", "edit_reply"), ("don't call me", "edit_reply"),
    # unclear: asked again, never saved
    ("嗯？", None), ("什么意思", None), ("这是什么", None), ("加装电梯要多少钱", None),
    ("你好", None), ("哈哈", None), ("🤔", None), ("...", None), ("123", None),
    ("what does this mean?", None), ("hmm", None), ("好像写错了", None), ("对不起", None),
    ("要改一下", None), ("确认提交吗？", None), ("可以吗", None), ("sorry", None),
]  # fmt: skip


@pytest.mark.parametrize(("message", "expected"), CONFIRMATION)
def test_read_back_answers(message, expected):
    assert reading.read_confirmation(message) == expected


def test_no_refusal_or_hesitation_reads_as_yes():
    assert len(CONFIRMATION) >= 80
    for message, expected in CONFIRMATION:
        if expected != "yes":
            assert reading.read_confirmation(message) != "yes", message


REPLY = [
    # in this chat
    ("回复到这里", "chat", None), ("回复到这个聊天", "chat", None), ("就在这里回复吧", "chat", None),
    ("在这回我就行", "chat", None), ("发消息给我", "chat", None), ("聊天里回复", "chat", None),
    ("这里回复", "chat", None), ("微信里回我", "chat", None), ("在这个对话里回复", "chat", None),
    ("网上回复就行", "chat", None), ("chat", "chat", None), ("Reply in this chat", "chat", None),
    ("reply here", "chat", None), ("here please", "chat", None), ("message me here", "chat", None),
    ("text me", "chat", None), ("online is fine", "chat", None), ("需要", "chat", None),
    ("要", "chat", None), ("需要回复", "chat", None), ("要的", "chat", None), ("好的", "chat", None),
    ("可以", "chat", None), ("是的", "chat", None), ("嗯", "chat", None), ("需要的谢谢", "chat", None),
    ("yes", "chat", None), ("yes please", "chat", None), ("sure", "chat", None), ("👍", "chat", None),
    ("不用打电话，回复到这里就行", "chat", None), ("别打电话，在这里回复", "chat", None),
    ("don't call me, reply here", "chat", None), ("囘復到這裡", "chat", None),
    ("回复到这里吧😊", "chat", None), ("回复到这裏", "chat", None),
    # a phone call back, with or without the number
    ("电话回访", "phone", None), ("打电话给我", "phone", None), ("给我打电话", "phone", None),
    ("请电话联系我", "phone", None), ("可以留电话，13912345678", "phone", "13912345678"),
    ("打我手机13812345678", "phone", "13812345678"), ("回电", "phone", None),
    ("我的电话是021-62541234", "phone", "02162541234"), ("13812345678", "phone", "13812345678"),
    ("138 1234 5678", "phone", "13812345678"), ("call me", "phone", None),
    ("call me back", "phone", None), ("phone", "phone", None), ("please phone me", "phone", None),
    ("Call me at 13912345678", "phone", "13912345678"), ("ring me", "phone", None),
    ("電話回訪", "phone", None), ("电话", "phone", None), ("电话联系", "phone", None),
    ("留个电话", "phone", None), ("可以打电话", "phone", None), ("📞", "phone", None),
    ("希望有人打电话回复我", "phone", None), ("电话回访吧，139-1234-5678", "phone", "13912345678"),
    # no reply: every refusal
    ("不需要回复", "none", None), ("不用回复", "none", None), ("不用了", "none", None),
    ("不需要", "none", None), ("不要", "none", None), ("不用", "none", None),
    ("不留了，我不想留联系方式", "none", None), ("不用打电话", "none", None),
    ("别打电话", "none", None), ("不要给我打电话", "none", None), ("不想留电话", "none", None),
    ("没必要回复", "none", None), ("算了不用回", "none", None), ("no reply", "none", None),
    ("No reply needed", "none", None), ("no need", "none", None), ("no thanks", "none", None),
    ("don't need a reply", "none", None), ("nope", "none", None), ("no", "none", None),
    ("don't call me", "none", None), ("I don't want to be contacted", "none", None),
    ("免了", "none", None), ("👎", "none", None), ("无需回复", "none", None), ("不必了", "none", None),
    ("不留联系方式", "none", None), ("不方便接电话", "none", None),
    ("不用打电话了，也不用回复", "none", None), ("不需要回覆", "none", None),
    ("不用不用", "none", None), ("不用啦🙏", "none", None),
    # neither
    ("什么意思", None, None), ("你好", None, None), ("哈哈", None, None), ("🤔", None, None),
    ("嗯？", None, None), ("加装电梯要多少钱", None, None), ("随便", None, None), ("asdf", None, None),
]  # fmt: skip


@pytest.mark.parametrize(("message", "choice", "phone"), REPLY)
def test_reply_choice(message, choice, phone):
    assert reading.read_reply_choice(message) == (choice, phone)


def test_a_refused_call_never_asks_for_a_phone():
    assert len(REPLY) >= 80
    for message, _choice, _ in REPLY:
        if "电话" in message and any(n in message for n in ("不", "别")):
            assert reading.read_reply_choice(message)[0] != "phone", message


PHONE = [
    ("13812345678", ("phone", "13812345678")), ("138 1234 5678", ("phone", "13812345678")),
    ("138-1234-5678", ("phone", "13812345678")), ("可以留电话，13912345678", ("phone", "13912345678")),
    ("我的手机是13912345678", ("phone", "13912345678")), ("电话13700001111", ("phone", "13700001111")),
    ("打这个 15912345678", ("phone", "15912345678")), ("021-62541234", ("phone", "02162541234")),
    ("62541234", ("phone", "62541234")), ("号码是 021 6254 1234", ("phone", "02162541234")),
    ("13812345678 谢谢", ("phone", "13812345678")), ("打13812345678找王阿姨", ("phone", "13812345678")),
    ("手机：18912345678", ("phone", "18912345678")), ("15000000000", ("phone", "15000000000")),
    ("call me at 13912345678", ("phone", "13912345678")),
    ("my number is 13812345678", ("phone", "13812345678")),
    ("139 1234 5678 please", ("phone", "13912345678")), ("１３８１２３４５６７８", ("phone", "13812345678")),
    ("好的，13612345678", ("phone", "13612345678")), ("可以，17712345678👍", ("phone", "17712345678")),
    ("手機13912345678", ("phone", "13912345678")), ("+86 13812345678", ("phone", "13812345678")),
    ("座机 62541234", ("phone", "62541234")), ("tel: 021-6254 1234", ("phone", "02162541234")),
    ("我电话是19912345678，白天打", ("phone", "19912345678")),
    ("留电话吧 18612345678", ("phone", "18612345678")), ("嗯 13312345678", ("phone", "13312345678")),
    ("13812345678。", ("phone", "13812345678")), ("电话：138 1234 5678", ("phone", "13812345678")),
    ("13512345678 王先生", ("phone", "13512345678")),
    # refusals
    ("跳过", ("refused", None)), ("不留了", ("refused", None)), ("不想留", ("refused", None)),
    ("不用了", ("refused", None)), ("不给", ("refused", None)), ("算了", ("refused", None)),
    ("没有", ("refused", None)), ("无", ("refused", None)), ("不方便", ("refused", None)),
    ("skip", ("refused", None)), ("no", ("refused", None)), ("none", ("refused", None)),
    ("n/a", ("refused", None)), ("no thanks", ("refused", None)), ("don't want to", ("refused", None)),
    ("不想留电话", ("refused", None)), ("还是不留电话了", ("refused", None)),
    ("不要电话了", ("refused", None)), ("我不想留手机号", ("refused", None)),
    ("别打电话了", ("refused", None)), ("不用打电话", ("refused", None)), ("跳過", ("refused", None)),
    ("不留😅", ("refused", None)), ("Skip", ("refused", None)), ("rather not", ("refused", None)),
    ("not now", ("refused", None)), ("不需要", ("refused", None)), ("不要", ("refused", None)),
    ("不必了", ("refused", None)), ("先不留了", ("refused", None)), ("👎", ("refused", None)),
    ("算了吧，回复到聊天就行", ("refused", None)), ("没手机", ("refused", None)),
    ("不用，谢谢", ("refused", None)), ("不想给号码", ("refused", None)),
    # neither: asked again
    ("可以", None), ("好的", None), ("行", None), ("嗯", None), ("等一下", None), ("我找找", None),
    ("稍等我查一下", None), ("1234", None), ("我家电话", None), ("好的我留", None), ("可以留", None),
    ("yes", None), ("sure", None), ("电话是多少来着", None), ("138123", None), ("👍", None),
    ("ok", None), ("留", None), ("马上", None), ("你们打给我", None),
]  # fmt: skip


@pytest.mark.parametrize(("message", "expected"), PHONE)
def test_phone_answer(message, expected):
    assert reading.read_phone(message) == expected


def test_enough_phone_phrasings():
    assert len(PHONE) >= 80


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
    ("Other", "other"), ("other", "other"), ("something else", "other"), ("none of these", "other"),
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
    # skipped
    ("跳过", ("-", None)), ("不知道", ("-", None)), ("不清楚", ("-", None)), ("skip", ("-", None)),
    ("Skip", ("-", None)), ("不方便说", ("-", None)), ("没有具体地点", ("-", None)),
    ("说不清", ("-", None)), ("略过", ("-", None)), ("不记得了", ("-", None)), ("无", ("-", None)),
    ("none", ("-", None)), ("don't know", ("-", None)), ("n/a", ("-", None)), ("跳過", ("-", None)),
    ("-", ("-", None)), ("不想说", ("-", None)), ("不用了", ("-", None)), ("pass", ("-", None)),
    ("跳过🙏", ("-", None)), ("算了不说了", ("-", None)),
    # neither
    ("你好", None), ("哈哈", None), ("什么意思", None), ("好的", None), ("嗯", None), ("asdf", None),
    ("🤔", None), ("谢谢", None), ("为什么要问这个", None), ("加装电梯要多少钱", None),
]  # fmt: skip


@pytest.mark.parametrize(("message", "expected"), LOCATION)
def test_location_answer(message, expected):
    assert reading.read_location(message, nlp.find_places) == expected


def test_enough_location_phrasings():
    assert len(LOCATION) >= 80


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


YES_NO = [
    ("继续", "yes"), ("好", "yes"), ("好的", "yes"), ("对", "yes"), ("是的", "yes"), ("嗯", "yes"),
    ("可以", "yes"), ("要", "yes"), ("go on", "yes"), ("yes", "yes"), ("👍", "yes"), ("没错", "yes"),
    ("对的", "yes"), ("继续吧", "yes"), ("OK", "yes"),
    ("不继续了", "no"), ("不用了", "no"), ("不要", "no"), ("不", "no"), ("算了", "no"),
    ("不对", "no"), ("不是", "no"), ("别", "no"), ("先别", "no"), ("不必", "no"), ("不需要", "no"),
    ("no", "no"), ("no, drop it", "no"), ("don't", "no"), ("not now", "no"), ("不想", "no"),
    ("👎", "no"), ("我再想想", "no"),
    ("加装电梯要多少钱", None), ("什么", None), ("嗯？", None), ("好像不太对吧我也说不清楚到底是什么原因啊", None),
    ("对不起", None), ("随便", None),
]  # fmt: skip


@pytest.mark.parametrize(("message", "expected"), YES_NO)
def test_yes_no(message, expected):
    assert reading.read_yes_no(message) == expected


@pytest.mark.parametrize(
    ("message", "cancel"),
    [("不提了", True), ("取消", True), ("cancel", True), ("算了不提了", True), ("never mind", True),
     ("不用回复", False), ("不用了", False), ("跳过", False), ("不需要", False)],
)  # fmt: skip
def test_only_words_that_end_the_suggestion_cancel_it_at_any_step(message, cancel):
    assert reading.is_cancel(message) is cancel


@pytest.mark.parametrize(
    ("message", "about"),
    [("你能做什么", True), ("你能干啥", True), ("你会做什么？", True), ("你是机器人吗", True),
     ("What can you do?", True), ("help", True), ("帮助", True), ("你能帮我做什么", True),
     ("回复到这里", False), ("算环境卫生吧", False), ("help the elderly cross the road", False)],
)  # fmt: skip
def test_a_question_about_the_assistant_is_not_an_answer(message, about):
    assert reading.asks_about_assistant(message) is about


CHOICE_OR_SIDE_QUESTION = [
    # answers to "这条算「公共设施」，对吗？" / "属于哪一类？"
    ("算文化活动吧", True), ("就算环境卫生", True), ("教育", True), ("市政", True), ("归交通那类", True),
    ("put it under transport", True), ("对，算公共设施", True), ("不对，是交通", True),
    ("是环境卫生吧", True), ("其他", True), ("公共设施啊", True), ("不是，应该是养老的问题", True),
    ("对", True), ("不对", True), ("是的", True), ("不是", True), ("对的，就是这个", True),
    ("没错，就算公共设施", True), ("我觉得算交通", True), ("应该算为老服务", True), ("选其他", True),
    ("这个算环境卫生", True), ("是公共设施呀", True), ("物业的问题", True), ("交通方面", True),
    ("其它吧", True), ("都不是", True), ("不是这个，是住房物业", True), ("嗯，算社会救助", True),
    ("錯了，是交通", True), ("公共設施", True), ("对👍", True), ("Transport", True),
    ("Public facilities", True), ("it's housing", True), ("other", True), ("no, transport", True),
    ("公共设施的事", True), ("就业创业那一类", True), ("环境卫生类", True), ("不用不用", True),
    ("算为老服务吧", True), ("我看还是算其他", True), ("是的，公共设施", True), ("交通嘛", True),
    # side questions: answered, then the choice is asked again
    ("垃圾分类怎么分", False), ("长护险怎么申请", False), ("你能做什么", False),
    ("低保哪能申请", False), ("低保哪能办", False), ("阿拉小区低保哪能申请", False),
    ("阿拉屋里老人助餐哪能弄", False), ("廉租房申请要啥材料", False), ("图书馆周末开门伐", False),
    ("周末图书馆开不开", False), ("社区食堂今朝开没开", False), ("长护险好申请伐？", False),
    ("侬晓得受理中心几点开门哦", False), ("我家楼下的路灯坏了怎么办", False),
    ("加装电梯要多少钱", False), ("低保咋申请", False), ("办居住证要去哪里", False),
    ("受理中心在哪儿", False), ("医保卡几点能办", False), ("有没有助餐点", False),
    ("失业金能领多久吗", False), ("这个要不要排队", False), ("老人卡是不是要本人去", False),
    ("社区事务受理中心周六上班吗", False), ("那低保的条件呢", False), ("低保申请几时出结果", False),
    ("长护险怎么申请？", False), ("電梯加裝怎麼申請", False), ("居住证办好了伐", False),
    ("how do I apply for subsistence allowance", False), ("where is the service centre", False),
    ("what time does the library open", False), ("can I get a parking permit", False),
    ("is there a canteen for old people", False), ("when does the market open?", False),
    ("阿拉爷叔好申请长护险伐", False), ("垃圾几点扔好", False), ("侬好，低保哪能申请", False),
]  # fmt: skip


@pytest.mark.parametrize(("text", "shaped"), CHOICE_OR_SIDE_QUESTION)
def test_an_answer_to_a_choice_is_told_from_a_new_question(text, shaped):
    assert reading.answers_a_choice(text) is shaped


def test_a_side_question_never_names_a_category():
    """ "低保哪能申请" at "这条算「公共设施」，对吗？" was read as 社会救助: its words are its subject."""
    assert len(CHOICE_OR_SIDE_QUESTION) >= 80
    for text, shaped in CHOICE_OR_SIDE_QUESTION:
        if not shaped and "算" not in text:
            assert reading.read_category(text, CATEGORIES) is None, text
            assert reading.read_yes_no(text) is None, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [("对，算公共设施", "facilities"), ("不对，是交通", "traffic"), ("是环境卫生吧", "environment"),
     ("其他", "other"), ("公共设施啊", "facilities"), ("不是，应该是养老的问题", "eldercare"),
     ("算交通吗", "traffic"), ("是社会救助吧？", "assistance"), ("低保的问题", "assistance"),
     ("低保哪能申请", None), ("周末图书馆开不开", None), ("路灯坏了找谁修", None),
     # a tentative answer naming a category outright is an answer; asking how/where is not
     ("环境卫生？", "environment"), ("这个能算公共设施吗", "facilities"),
     ("交通出行的事呢", "traffic"), ("可能是环境卫生？", "environment"),
     ("养老院怎么申请", None), ("交通出行怎么办理", None), ("公共设施在哪里", None)],
)  # fmt: skip
def test_an_answer_shaped_as_one_names_its_category_even_as_a_question(text, expected):
    assert reading.read_category(text, CATEGORIES) == expected


GO_ON = [
    ("继续", "yes"), ("好的，继续", "yes"), ("嗯", "yes"), ("对", "yes"), ("go on", "yes"),
    ("不继续了", "no"), ("不用了", "no"), ("算了", "no"), ("不要了", "no"), ("不提交了", "no"),
    ("no, drop it", "no"),
    ("周末图书馆开不开", None), ("低保哪能申请", None), ("图书馆周末开门伐", None),
    ("长护险好申请伐", None), ("what time does the library open", None), ("居住证哪能办", None),
    ("社区食堂今朝开没开", None), ("有没有助餐点", None), ("哈哈", None),
]  # fmt: skip


@pytest.mark.parametrize(("message", "expected"), GO_ON)
def test_go_on_is_a_yes_a_no_or_neither(message, expected):
    """At "要继续提交刚才的建议吗？" a new question is neither a yes nor a no."""
    assert reading.read_yes_no(message) == expected


@pytest.mark.parametrize(
    ("text", "question"),
    [("开不开", False), ("小区电梯动不动就坏，希望修一修", False), ("不用不用", False),
     ("好伐", False), ("低保呢", False), ("确认提交", False), ("阿拉觉得算公共设施", False),
     ("图书馆开不开", True), ("有没有人管", True), ("低保哪能办", True), ("助餐点在哪搭", True),
     ("老人卡好办伐", True), ("受理中心开门哦", True), ("那长护险呢", True)],
)  # fmt: skip
def test_question_words_including_shanghainese(text, question):
    assert reading.is_question(text) is question
