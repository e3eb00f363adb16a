from allauth.account.models import EmailAddress

from hubsite.core.models import OutboxMessage
from imports.choices import RunStatus
from partners.models import User

HEADER = ["电子邮箱", "姓名", "电话", "角色", "岗位", "伙伴机构"]


def test_people_import_without_a_password_and_a_second_run_changes_nothing(import_sheet, org_a, hub_staff):
    rows = [
        ["Lan.Teacher@Example.org", "蓝老师", "13800000000", "伙伴机构同工", "一线老师", org_a.name],
        ["wei@example.org", "韦主任", "", "机构负责人", "项目管理人员", "都安瑶山"],
    ]

    first = import_sheet("people", HEADER, rows)

    assert first.status == RunStatus.DONE, (first.file_errors, first.preview)
    lan = User.objects.get(email="lan.teacher@example.org")
    assert (lan.role, lan.position, lan.organisation) == ("partner_staff", "teacher", org_a)
    assert not lan.has_usable_password()
    assert EmailAddress.objects.get(user=lan).email == "lan.teacher@example.org"
    # Not asked to invite: they use "forgot password".
    assert not OutboxMessage.objects.filter(task="partners.send_invitation_email").exists()

    second = import_sheet("people", HEADER, rows)

    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert User.objects.filter(email__in=["lan.teacher@example.org", "wei@example.org"]).count() == 2


def test_new_people_are_invited_when_the_importer_asks(import_sheet, org_a):
    run = import_sheet(
        "people",
        HEADER,
        [["lan@example.org", "蓝老师", "", "伙伴机构同工", "", org_a.name]],
        send_invitations=True,
    )

    person = User.objects.get(email="lan@example.org")
    assert run.status == RunStatus.DONE
    assert OutboxMessage.objects.get(task="partners.send_invitation_email").args == [person.pk]


def test_the_person_form_rules_hold_row_by_row(upload, org_a, hub_org):
    rows = [
        ["a@example.org", "甲", "", "伙伴机构同工", "", ""],
        ["b@example.org", "乙", "", "枢纽同工", "", org_a.name],
        ["c@example.org", "丙", "", "枢纽管理员", "", hub_org.name],
        ["not-an-address", "丁", "", "观察员", "", ""],
    ]

    run = upload("people", HEADER, rows)

    assert run.status == RunStatus.INVALID
    errors = [row["errors"] for row in run.preview]
    assert errors[0] == ["第 2 行：伙伴机构：伙伴机构人员必须属于一个伙伴机构。"]
    assert errors[1] == ["第 3 行：伙伴机构：枢纽人员应属于枢纽机构，而不是伙伴机构。"]
    # Only hub admins hand out the hub admin role (the uploader is hub staff).
    assert errors[2][0].startswith("第 4 行：角色：「枢纽管理员」不是可选值")
    assert errors[3][0].startswith("第 5 行：电子邮箱：")
    assert not User.objects.filter(email__in=["a@example.org", "b@example.org"]).exists()


def test_hub_staff_cannot_change_a_hub_admin_by_import(upload, hub_admin):
    run = upload("people", ["电子邮箱", "电话"], [[hub_admin.email, "110"]])

    assert run.preview[0]["errors"] == ["第 2 行：只有枢纽管理员可以修改枢纽管理员。"]
