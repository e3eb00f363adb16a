from tests.matrix import Case, everyone, public

CASES = [
    Case("coverage:index", everyone()),
    Case("coverage:index", everyone(), query="as_of=2020-01-01&metric=organisations"),
    Case("coverage:prefecture", everyone(), kwargs={"code": "450100"}),
    Case("coverage:public", public()),
    Case("coverage:interest", public(302)),
    Case(
        "coverage:interest",
        public(302),
        method="post",
        data=lambda w: {
            "name": "钦州新机构",
            "prefecture": w.org_a.prefecture_id,
            "contact_name": "黄女士",
            "contact_phone": "13877712345",
            "description": "社区服务",
            "consent": "on",
        },
    ),
    Case("coverage:interest_thanks", public()),
]
