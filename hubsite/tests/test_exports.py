from hubsite.core.exports import neutralise


def test_it_neutralises_cells_that_spreadsheets_would_run_as_formulas():
    for dangerous in ('=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)"):
        assert neutralise(dangerous) == "'" + dangerous


def test_it_leaves_numbers_and_plain_text_alone():
    assert neutralise(-5) == -5
    assert neutralise("同心源") == "同心源"
