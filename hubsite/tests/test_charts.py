from hubsite.core.charts import bar_chart


def test_it_draws_one_bar_per_value_with_escaped_labels():
    svg = bar_chart([("2018", 2), ("2019", 4), ("<b>", 0)], label="centres")
    assert svg.count("<rect") == 3
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    assert ">4</text>" in svg


def test_an_empty_series_still_draws_an_axis():
    assert "<line" in bar_chart([])
