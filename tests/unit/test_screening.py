"""Medication screening: every knowledge-file row is found by each of its names; matching is
case-, strength- and form-insensitive; misspellings are probable, never silent; unknown is never
clear. Expected classes and severities are stated here, not read from the file."""

from decimal import Decimal

import pytest

from lowdose.errors import LowdoseError
from lowdose.screening import (
    MatchKind,
    ScreeningError,
    Severity,
    Verdict,
    _build_knowledge,
    knowledge_base,
    normalise_tokens,
    screen_medications,
)

KB = knowledge_base()
ENTRIES = list(KB.entries)
BRANDS = [(entry.name, brand) for entry in KB.entries for brand in entry.brand_names]
PRODUCT_NAMES = [(p.ingredients, name) for p in KB.products for name in (p.name, *p.also)]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_every_row_is_found_by_its_generic_name(entry):
    result = screen_medications([entry.name])
    (finding,) = result.findings
    assert finding.ingredients == (entry.name,)
    assert finding.match is MatchKind.EXACT
    assert finding.confidence == Decimal(1)
    assert result.unknown == ()


@pytest.mark.parametrize(("generic", "brand"), BRANDS, ids=[b for _, b in BRANDS])
def test_every_brand_resolves_to_its_ingredient(generic, brand):
    (finding,) = screen_medications([brand]).findings
    assert finding.ingredients == (generic,)
    assert finding.match is MatchKind.EXACT


@pytest.mark.parametrize(("ingredients", "name"), PRODUCT_NAMES, ids=[n for _, n in PRODUCT_NAMES])
def test_every_combination_product_resolves_to_all_its_ingredients(ingredients, name):
    (finding,) = screen_medications([name]).findings
    assert set(finding.ingredients) == set(ingredients)
    assert len(finding.ingredients) >= 2


@pytest.mark.parametrize(
    ("name", "severity", "drug_class"),
    [
        ("morphine", "contraindicated", "opioid agonist"),
        ("oxycodone", "contraindicated", "opioid agonist"),
        ("fentanyl", "contraindicated", "opioid agonist"),
        ("tramadol", "contraindicated", "opioid agonist"),
        ("tapentadol", "contraindicated", "opioid agonist"),
        ("codeine", "contraindicated", "opioid agonist"),
        ("pholcodine", "contraindicated", "opioid agonist"),
        ("methadone", "contraindicated", "opioid agonist"),
        ("buprenorphine", "contraindicated", "opioid partial agonist"),
        ("nalbuphine", "contraindicated", "opioid mixed agonist-antagonist"),
        ("pentazocine", "contraindicated", "opioid mixed agonist-antagonist"),
        ("kratom", "contraindicated", "opioid agonist"),
        ("pethidine", "contraindicated", "opioid agonist"),
        ("meperidine", "contraindicated", "opioid agonist"),
        ("opium", "contraindicated", "opioid agonist"),
        ("naloxegol", "contraindicated", "peripheral opioid antagonist"),
        ("lofexidine", "info", "not an opioid"),
        ("dextromethorphan", "info", "not an opioid"),
        ("noscapine", "caution", "opium alkaloid, not an opioid agonist"),
        ("dimemorfan", "caution", "morphinan cough suppressant"),
        ("loperamide", "caution", "opioid antidiarrhoeal"),
        ("diphenoxylate", "caution", "opioid antidiarrhoeal"),
        ("eluxadoline", "caution", "opioid antidiarrhoeal"),
        ("naltrexone", "caution", "opioid antagonist"),
        ("nalmefene", "caution", "opioid antagonist"),
        ("methylnaltrexone", "caution", "peripheral opioid antagonist"),
        ("levothyroxine", "caution", "thyroid hormone"),
        ("tacrolimus", "caution", "immunosuppressant"),
        ("paracetamol", "info", "non-opioid analgesic"),
        ("acetaminophen", "info", "non-opioid analgesic"),
        ("pregnancy", "caution", "condition"),
        ("acute hepatitis", "contraindicated", "condition"),
        ("liver disease", "caution", "condition"),
        ("opioid use disorder", "contraindicated", "condition"),
    ],
)
def test_key_medications_have_the_stated_class_and_severity(name, severity, drug_class):
    (finding,) = screen_medications([name]).findings
    assert finding.severity.value == severity
    assert finding.drug_class == drug_class
    assert finding.reason
    assert finding.source


@pytest.mark.parametrize(
    ("text", "ingredients"),
    [
        ("Tramadol HCl 50mg tablets", {"tramadol"}),
        ("oxycodone/APAP 5/325", {"oxycodone", "paracetamol"}),
        ("Tylenol with codeine #3", {"codeine", "paracetamol"}),
        ("Tylenol #3", {"codeine", "paracetamol"}),
        ("Tylenol No. 4", {"codeine", "paracetamol"}),
        ("Tylenol w/ codeine", {"codeine", "paracetamol"}),
        ("kratom powder", {"kratom"}),
        ("TRAMADOL", {"tramadol"}),
        ("Percocet 10/325 mg", {"oxycodone", "paracetamol"}),
        ("hydrocodone-acetaminophen 10-325", {"hydrocodone", "paracetamol"}),
        ("co-codamol 30/500 caplets", {"codeine", "paracetamol"}),
        ("Suboxone 8mg/2mg sublingual film", {"buprenorphine", "naloxone"}),
        ("Contrave 8/90 ER", {"naltrexone", "bupropion"}),
        ("Mysimba", {"naltrexone", "bupropion"}),
        ("Lybalvi 10/10", {"olanzapine", "samidorphan"}),
        ("Vivitrol 380 mg injection", {"naltrexone"}),
        ("Butrans 10 mcg/hr patch", {"buprenorphine"}),
        ("morphine sulphate MR 10 mg", {"morphine"}),
        ("Levothyroxine sodium 100 mcg", {"levothyroxine"}),
        ("mitragyna speciosa extract", {"kratom"}),
        ("Hashimoto's", {"Hashimoto's thyroiditis"}),
    ],
)
def test_messy_real_world_inputs(text, ingredients):
    result = screen_medications([text])
    (finding,) = result.findings
    assert set(finding.ingredients) == ingredients
    assert finding.match is MatchKind.EXACT
    assert result.unknown == ()


def test_a_brand_without_its_number_is_only_paracetamol():
    (finding,) = screen_medications(["Tylenol 500 mg"]).findings
    assert finding.ingredients == ("paracetamol",)


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("oxycodon", "oxycodone"),
        ("trammadol", "tramadol"),
        ("codine", "codeine"),
        ("Oxycontine 20mg", "OxyContin"),
        ("morfine", "morphine"),
        ("fentanil", "fentanyl"),
    ],
)
def test_misspellings_are_probable_matches_with_confidence(typo, meant):
    result = screen_medications([typo])
    (finding,) = result.findings
    assert finding.match is MatchKind.PROBABLE
    assert finding.did_you_mean[0] == meant
    assert Decimal("0.5") < finding.confidence < 1
    # A probable opioid counts as an opioid until someone confirms otherwise.
    assert result.verdict is Verdict.CONTRAINDICATED


def test_short_words_are_never_guessed():
    result = screen_medications(["oxy"])
    assert result.findings == ()
    assert result.unknown == ("oxy",)


def test_unknown_medications_are_reported_and_never_clear():
    result = screen_medications(["vitamin D3 1000 IU", "paracetamol"])
    assert result.unknown == ("vitamin D3 1000 IU",)
    assert result.verdict is Verdict.CAUTION


def test_a_partly_recognised_line_is_both_a_finding_and_unknown():
    result = screen_medications(["oxycodone/zzqxv 5/325"])
    (finding,) = result.findings
    assert finding.ingredients == ("oxycodone",)
    assert finding.unrecognised == ("zzqxv",)
    assert result.unknown == ("oxycodone/zzqxv 5/325",)


def test_verdicts():
    assert screen_medications(["paracetamol", "ibuprofen"]).verdict is Verdict.CLEAR
    assert screen_medications(["paracetamol", "levothyroxine"]).verdict is Verdict.CAUTION
    assert screen_medications(["levothyroxine", "Norco"]).verdict is Verdict.CONTRAINDICATED


def test_combination_finding_reports_its_worst_ingredient_and_every_detail():
    (finding,) = screen_medications(["Percocet"]).findings
    assert finding.severity is Severity.CONTRAINDICATED
    assert finding.drug_class == "opioid agonist"
    assert {d.name: d.severity.value for d in finding.details} == {
        "oxycodone": "contraindicated",
        "paracetamol": "info",
    }


def test_as_dict_has_the_documented_keys():
    data = screen_medications(["Percocet", "zzqxv"]).as_dict()
    assert data["verdict"] == "contraindicated"
    assert data["unknown"] == ["zzqxv"]
    assert set(data["findings"][0]) >= {
        "input",
        "matched",
        "ingredients",
        "class",
        "severity",
        "reason",
        "source",
        "confidence",
    }


def test_an_empty_list_is_a_user_error_naming_the_field():
    with pytest.raises(ScreeningError) as info:
        screen_medications(["  ", ""])
    assert isinstance(info.value, LowdoseError)
    assert info.value.field == "medications"


def test_normalise_tokens():
    assert normalise_tokens("Tylenol w/ Codeine No. 3") == ("tylenol", "with", "codeine", "3")
    assert normalise_tokens("Oxycodone/APAP 7.5/325") == ("oxycodone", "apap", "7.5", "325")


def test_every_opioid_row_cites_the_label_and_a_reason():
    for entry in KB.entries:
        if entry.drug_class.startswith("opioid") and entry.severity is Severity.CONTRAINDICATED:
            assert entry.name == "kratom" or "naltrexone_label" in entry.sources, entry.name
        assert len(entry.reason) > 30, entry.name


def test_atc_codes_look_like_atc_codes():
    import re

    pattern = re.compile(r"^[A-Z]\d\d[A-Z][A-Z]\d\d$")
    for entry in KB.entries:
        for code in (*entry.atc, *entry.atc_unverified):
            assert pattern.match(code), (entry.name, code)


def test_the_file_covers_enough_to_be_useful():
    ingredients = [e for e in KB.entries if e.kind == "ingredient"]
    assert len(ingredients) >= 70
    assert sum(len(e.brand_names) for e in KB.entries) >= 120
    assert len(KB.products) >= 25


def _tiny(**overrides):
    raw = {
        "sources": {"s": {"citation": "a source"}},
        "ingredients": [
            {"name": "aa", "class": "c", "severity": "info", "reason": "r", "sources": ["s"]},
            {"name": "bb", "class": "c", "severity": "info", "reason": "r", "sources": ["s"]},
        ],
        "conditions": [],
        "products": [],
    }
    raw.update(overrides)
    return raw


def test_a_name_that_means_two_things_is_refused():
    raw = _tiny()
    raw["ingredients"][1]["also"] = ["aa"]
    with pytest.raises(ValueError, match="two different things"):
        _build_knowledge(raw)


def test_unknown_sources_and_ingredients_are_refused():
    raw = _tiny()
    raw["ingredients"][0]["sources"] = ["nope"]
    with pytest.raises(ValueError, match="sources"):
        _build_knowledge(raw)
    raw = _tiny(
        products=[{"name": "p", "ingredients": ["aa", "zz"], "regions": [], "sources": ["s"]}]
    )
    with pytest.raises(ValueError, match="unknown ingredients"):
        _build_knowledge(raw)


def test_a_misspelt_two_word_brand_is_matched_as_a_whole():
    (finding,) = screen_medications(["Panadiene Forte"]).findings
    assert finding.match is MatchKind.PROBABLE
    assert finding.did_you_mean == ("Panadeine Forte",)
    assert set(finding.ingredients) == {"codeine", "paracetamol"}


def test_result_helpers_for_the_web_layer():
    result = screen_medications(["Percocet", "levothyroxine"])
    assert [f.input for f in result.contraindicated] == ["Percocet"]
    assert KB.entry("kratom").severity is Severity.CONTRAINDICATED
    with pytest.raises(KeyError):
        KB.entry("nothing")
