import re

from partners.geodata import PREFECTURES
from partners.maps import NONE_FILL, bucket, choropleth, province_map


def test_it_draws_every_guangxi_prefecture_by_code():
    codes = {shape.code for shape in province_map("450000").shapes}
    assert codes == {code for code, _, _ in PREFECTURES}


def test_prefectures_without_centres_are_hatched_and_marked_uncovered():
    svg = choropleth("450000", {"450100": 4, "451200": 2})
    uncovered = re.findall(r'<path [^>]*class="prefecture uncovered" data-code="(\d+)"', svg)
    assert len(uncovered) == 12
    assert "450100" not in uncovered
    assert f'fill="{NONE_FILL}"' in svg


def test_tooltips_are_escaped_and_links_make_prefectures_clickable():
    svg = choropleth(
        "450000", {"450100": 1}, titles={"450100": "<script>x</script>"}, links={"450100": "/p/450100/"}
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert '<a href="/p/450100/">' in svg


def test_the_darkest_class_is_the_maximum_and_zero_is_none():
    assert bucket(0, 10) == 0
    assert bucket(10, 10) == 5
    assert bucket(1, 10) == 1
