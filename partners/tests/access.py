from tests.matrix import Case, everyone, hub_only

CASES = [
    Case("partners:organisation_list", everyone()),
    Case("partners:organisation_detail", everyone(), kwargs=lambda w: {"pk": w.org_a.pk}),
    Case("partners:centre_list", everyone()),
    Case("partners:centre_detail", everyone(), kwargs=lambda w: {"pk": w.centre_a.pk}),
    Case("partners:person_list", hub_only()),
]
