"""The demo network holds the group's plan, scored topics and a joint action, and a partner reads them.

No test clock here: the demo places its meetings and parts around the day it was seeded."""

from django.urls import reverse

from mutualaid.group_models import JointAction


def test_the_demo_network_shows_its_plan_topics_and_joint_action_to_a_partner(demo, client_for):
    teacher = demo["partner@example.org"]
    client = client_for(teacher)
    plan = client.get(reverse("mutualaid:plan")).content.decode()
    assert "第一阶段行动计划" in plan and "召集人" in plan and "先锋机构各提交一份拓点计划书" in plan
    topics = client.get(reverse("mutualaid:topic_list")).content.decode()
    assert topics.index("家长参与度低") < topics.index("绘本借阅丢书多")
    action = JointAction.objects.get()
    page = client.get(action.get_absolute_url()).content.decode()
    assert 'id="figure-organisations">4<' in page and 'id="figure-people">333<' in page
