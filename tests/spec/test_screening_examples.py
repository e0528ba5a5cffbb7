"""Screening examples a clinician can read: what a medication list line means for an LDN course.

| what the patient or chart says | verdict         | ingredients found                  |
"""

import pytest

from lowdose.screening import screen_medications

EXAMPLES = [
    # input                            verdict            ingredients
    ("Tramadol HCl 50mg tablets",      "contraindicated", {"tramadol"}),
    ("oxycodone/APAP 5/325",           "contraindicated", {"oxycodone", "paracetamol"}),
    ("Tylenol with codeine #3",        "contraindicated", {"codeine", "paracetamol"}),
    ("kratom powder",                  "contraindicated", {"kratom"}),
    ("Suboxone film 8/2",              "contraindicated", {"buprenorphine", "naloxone"}),
    ("methadone 60 mg daily",          "contraindicated", {"methadone"}),
    ("Panadeine Forte",                "contraindicated", {"codeine", "paracetamol"}),
    ("Nurofen Plus",                   "contraindicated", {"codeine", "ibuprofen"}),
    ("co-dydramol",                    "contraindicated", {"dihydrocodeine", "paracetamol"}),
    ("Targin 10/5",                    "contraindicated", {"oxycodone", "naloxone"}),
    ("Palexia SR 50 mg",               "contraindicated", {"tapentadol"}),
    ("Durogesic 25 mcg/h patch",       "contraindicated", {"fentanyl"}),
    ("Demerol",                        "contraindicated", {"pethidine"}),
    ("promethazine with codeine syrup", "contraindicated", {"codeine", "promethazine"}),
    ("Movantik 25 mg",                 "contraindicated", {"naloxegol"}),
    ("Contrave",                       "caution",         {"naltrexone", "bupropion"}),
    ("Lybalvi",                        "caution",         {"olanzapine", "samidorphan"}),
    ("Vivitrol",                       "caution",         {"naltrexone"}),
    ("Selincro",                       "caution",         {"nalmefene"}),
    ("Relistor",                       "caution",         {"methylnaltrexone"}),
    ("Imodium 2 mg",                   "caution",         {"loperamide"}),
    ("Lomotil",                        "caution",         {"diphenoxylate", "atropine"}),
    ("noscapine",                      "caution",         {"noscapine"}),
    ("Synthroid 75 mcg",               "caution",         {"levothyroxine"}),
    ("Prograf 1 mg",                   "caution",         {"tacrolimus"}),
    ("pregnant",                       "caution",         {"pregnancy"}),
    ("Lucemyra",                       "clear",           {"lofexidine"}),
    ("Delsym",                         "clear",           {"dextromethorphan"}),
    ("Panadol 500 mg",                 "clear",           {"paracetamol"}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "verdict", "ingredients"), EXAMPLES)
def test_screening_example(text, verdict, ingredients):
    result = screen_medications([text])
    assert result.verdict.value == verdict
    (finding,) = result.findings
    assert set(finding.ingredients) == ingredients


def test_an_unknown_name_is_never_clear():
    result = screen_medications(["Panadol", "Zzyzx Herbal Blend"])
    assert result.verdict.value == "caution"
    assert result.unknown == ("Zzyzx Herbal Blend",)
