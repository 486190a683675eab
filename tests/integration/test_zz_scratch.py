import uuid

import pytest

pytestmark = pytest.mark.integration

SCRIPTS = [
    ["I have a suggestion", "The streetlights on Zhongjiang Road are broken", "facilities please", "reply here", "yes"],
]
OLD2 = [
    ["I have a suggestion", "The streetlights on Zhongjiang Road are broken", "facilities please", "reply here", "yes"],
    ["I'd like to suggest something", "There is smoke in the stairwell", "go on", "yes", "no reply", "submit"],
    ["建议小区加装健身器材", "对", "上钞苑5号楼", "随便", "不用回复", "确认提交"],
]
OLD = [
    ["我想提个建议", "菜场门口垃圾太多了，味道很大", "这个应该算环境问题吧", "就在长征菜场门口", "不用打电话", "好的"],
    ["I'd like to suggest something", "There is smoke in the stairwell", "go on"],
    ["建议在小区门口装个路灯", "嗯", "就在我家楼下", "需要", "先别提交，我再想想", "确认"],
    ["I have a suggestion", "The streetlights on Zhongjiang Road are broken", "facilities please", "Zhongjiang Road near the school", "reply here", "yes"],
    ["楼道里堆满了东西没人管", "不是", "算其他吧", "上钞苑5号楼", "可以留电话，13912345678", "不要提交"],
    ["建议增加社区食堂", "你能做什么", "继续", "为老服务", "电话回访", "可以", "13812345678", "没问题"],
    ["建议小区加装健身器材", "哈哈", "呃", "啊", "不知道", "不知道", "不知道", "不需要", "提交"],
    ["社会救助顾问是谁"],
    ["I have a problem with the rubbish collection in my estate"],
]


@pytest.mark.parametrize("script", SCRIPTS)
def test_transcript(stack, script):
    who = f"scratch-{uuid.uuid4().hex[:6]}"
    print("\n==========")
    for line in script:
        replies = stack.send(who, line)
        print(f"> {line}")
        for r in replies:
            buttons = " | ".join(b["title"] for b in r.get("buttons", []))
            print("  " + (r.get("text") or "").replace("\n", "\n  ") + (f"  [{buttons}]" if buttons else ""))
        if not replies:
            import httpx
            t = httpx.get(f"{stack.rasa_url}/conversations/{who}/tracker?token=integration-secret").json()
            for e in t["events"][-40:-14]:
                print("   EV", e.get("event"), e.get("name"), e.get("value"), e.get("text"), (e.get("parse_data") or {}).get("intent"))
