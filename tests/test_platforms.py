import pytest

from listingforge.errors import ConfigError
from listingforge.platforms import available_platforms, load_platform


def test_every_platform_loads_with_sources():
    names = available_platforms()
    assert {"taobao", "pinduoduo", "jd", "amazon", "google", "shopify", "generic"} <= set(names)
    for name in names:
        p = load_platform(name)
        assert p.title.max > 0 and p.title.unit in ("width", "chars", "bytes")
        assert p.title.source, f"{name}: the title limit must cite its source"


def test_known_limits():
    assert (load_platform("taobao").title.max, load_platform("taobao").title.unit) == (60, "width")
    assert load_platform("tmall").name == "taobao"  # alias
    assert (load_platform("pinduoduo").title.max, load_platform("pinduoduo").title.unit) == (60, "width")
    amazon = load_platform("amazon")
    assert (amazon.title.max, amazon.title.unit) == (200, "chars")
    assert set("!$?_{}^¬¦©") == set(amazon.forbidden_chars)
    assert amazon.search_terms is not None and (amazon.search_terms.max, amazon.search_terms.unit) == (250, "bytes")
    assert "free shipping" in amazon.promo_phrases and "best seller" in amazon.promo_phrases
    google = load_platform("google")
    assert google.title.max == 150 and google.limit("description").max == 5000
    assert "[unverified]" in load_platform("jd").title.source


def test_unknown_platform_lists_known_ones():
    with pytest.raises(ConfigError, match="known: .*amazon"):
        load_platform("ebayy")


def test_user_rules_file(tmp_path):
    f = tmp_path / "myshop.toml"
    f.write_text('name = "myshop"\n[title]\nmax = 30\nunit = "chars"\nsource = "house rule"\n', encoding="utf-8")
    assert load_platform(str(f)).title.max == 30
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid"):
        load_platform(str(bad))


def test_a_platform_takes_the_promotional_rules_of_those_it_includes():
    from listingforge.compliance import Checker

    # a Shopify store's titles go to Google Shopping: Google's rules (and Amazon's, which Google includes) apply
    shopify, google = load_platform("shopify"), load_platform("google")
    assert set(google.promo_patterns) <= set(shopify.promo_patterns)
    assert set(load_platform("amazon").promo_patterns) <= set(google.promo_patterns)
    title = "Linen Napkins Set of 4 - Free Shipping Over $50"
    assert [f.text for f in Checker("shopify", grounding=False).check(title) if f.rule == "shopify.promo"] == ["Free Shipping"]
    # a word that names the goods is no offer in any of them
    for name in ("amazon", "google", "shopify"):
        chk = Checker(name, grounding=False)
        for lawful in ("Dalton Yard Sale Sign Kit with 10 Arrow Signs", "LED Trailer Clearance Lights, Amber, 10 Pack"):
            assert not [f for f in chk.check(lawful) if f.rule.endswith(".promo")], (name, lawful)


def test_rules_files_that_include_each_other_are_an_error_not_a_hang(tmp_path):
    base = 'display = "x"\nlang = "en"\n[title]\nmax = 100\n'
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(f'name = "loop_a"\npromo_include = ["{b}"]\n{base}', encoding="utf-8")
    b.write_text(f'name = "loop_b"\npromo_include = ["{a}"]\n{base}', encoding="utf-8")
    with pytest.raises(ConfigError, match="circle"):
        load_platform(str(a))
