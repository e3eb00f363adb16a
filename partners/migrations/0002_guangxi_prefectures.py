"""Guangxi and its 14 prefecture-level cities by administrative code, as first seeded.

The rows are copied here, not imported from ``partners.geodata``: a migration is history, and a later
edit of the live data must not change what this one loads on a fresh database.
"""

from django.db import migrations

# code, name, English name
GUANGXI = ("450000", "广西壮族自治区", "Guangxi Zhuang Autonomous Region")
PREFECTURES = [
    ("450100", "南宁市", "Nanning"),
    ("450200", "柳州市", "Liuzhou"),
    ("450300", "桂林市", "Guilin"),
    ("450400", "梧州市", "Wuzhou"),
    ("450500", "北海市", "Beihai"),
    ("450600", "防城港市", "Fangchenggang"),
    ("450700", "钦州市", "Qinzhou"),
    ("450800", "贵港市", "Guigang"),
    ("450900", "玉林市", "Yulin"),
    ("451000", "百色市", "Baise"),
    ("451100", "贺州市", "Hezhou"),
    ("451200", "河池市", "Hechi"),
    ("451300", "来宾市", "Laibin"),
    ("451400", "崇左市", "Chongzuo"),
]


def load(apps, schema_editor):
    Province = apps.get_model("partners", "Province")
    Prefecture = apps.get_model("partners", "Prefecture")
    code, name, name_en = GUANGXI
    province, _created = Province.objects.update_or_create(
        code=code, defaults={"name": name, "name_en": name_en}
    )
    for code, name, name_en in PREFECTURES:
        Prefecture.objects.update_or_create(
            code=code, defaults={"province": province, "name": name, "name_en": name_en}
        )


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
