"""An empty list says what is empty and what to do next, in the reader's role."""

from django.urls import reverse

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _page(client, name):
    return client.get(reverse(f"mutualaid:{name}"), **ZH).content.decode()


def test_an_empty_funding_list_tells_a_partner_how_to_apply_and_the_hub_what_comes(
    client_for, partner, hub_staff
):
    page = _page(client_for(partner), "application_list")
    assert "贵机构目前没有进行中的申请。如需为新点位申请经费，请点击上方的“申请拓点经费”。" in page
    assert "还没有已决定的申请" in page
    page = _page(client_for(hub_staff), "application_list")
    assert "目前没有待审核的申请" in page


def test_an_empty_visit_list_tells_a_member_how_to_request_one(client_for, partner, hub_staff, member, org_a):
    page = _page(client_for(partner), "visit_list")
    assert "走访学习差旅补贴仅面向互助支持小组成员" in page
    member(org_a)
    page = _page(client_for(partner), "visit_list")
    assert "如需走访网络中的其他亲子园，请点击上方的“申请走访学习”" in page
    assert "由枢纽决定" in _page(client_for(hub_staff), "visit_list")


def test_an_empty_coaching_record_says_who_logs_sessions(client_for, director, hub_staff):
    assert "请点击上方的“记录一次支持”" in _page(client_for(hub_staff), "session_list")
    assert "枢纽与贵机构开展的个人教练和支持会显示在这里" in _page(client_for(director), "session_list")


def test_empty_help_pages_point_to_the_mentor_pool_and_the_activity_library(client_for, director, hub_staff):
    page = _page(client_for(director), "help_requests")
    assert "如需求助，请打开街坊导师库选择一位导师" in page and reverse("mutualaid:mentor_list") in page
    assert "请打开活动供给库" in page and reverse("mutualaid:activity_list") in page
    assert "今年还没有志愿服务时长" in _page(client_for(director), "hours")
    assert "请点击上方的“建立先行者结对”" in _page(client_for(hub_staff), "pairing_list")
    assert "枢纽会为互助小组成员与想开展 0-3 岁服务的机构结对" in _page(client_for(director), "pairing_list")
