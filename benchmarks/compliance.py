"""Compliance benchmark: the Advertising Law and marketplace rules on held-out terms, real titles and the titles flow.

    .venv/bin/python benchmarks/compliance.py [--data ../shared/data] [--skip-flow]

Prints one table per part:
1. recall per class on nine held-out sets of test terms (benchmarks/data/compliance/test_terms*.toml, from
   word lists, enforcement cases and rule pages that were not read while tuning; one title per term or claim,
   with varied positions and contexts), by `check_title` on Taobao. Each set was measured once before the data
   was revised on its misses: those first numbers (86.1%, 71.4%, 49.1%, 50.0%, 61.0%, 54.4%, 41.3%, 29.5%,
   35.3%) are the honest held-out recall; the numbers printed now include the revisions (see SOURCES.md);
   1b. the same titles in traditional characters (OpenCC s2t), as Hong Kong and Taiwan sellers write them, with
   full-width letters and digits, and with a space inside each claim (a way sellers slip words past filters);
2. precision on real Chinese titles, judged by hand: verdicts are kept in benchmarks/data/compliance/
   verdicts.jsonl, and findings not yet judged are written to unjudged.jsonl and counted apart. The OpenBG and
   cosmetics titles were read while tuning (the md5 halves are shown apart, but both were read); the 4,489
   NER titles are the fresh set: first judgment 71 of 126 right, revisions followed (SOURCES.md). The English
   titles count Amazon promotional findings;
3. lawful uses (lawful_uses.toml, SAMR 2023 guideline categories): how many are flagged, how many changed by
   the automatic fixes (target 0);
4. stuffed titles: 36 real-looking titles stuffed with 3–4 held-out terms each, through the real
   `Engine("taobao").titles` flow: titles that still hold a term, and fixes that leave a fragment (words in the
   output that are neither the title's own nor the product's facts);
   4b. the claims in advertisers' words (sets H–Z, one realistic title each) through the same flow: the claim
   removed whole, kept with its finding where no fix is safe, or a piece of it left behind;
5. English promotional phrases (Amazon, Google Merchant Center): recall on phrases from their published rules;
   5b–5i. the English held-out sets EN1 to EN8 (test_terms_en*.toml: titles and bullets on Amazon, Google and
   Shopify, with lawful near-misses), each first measured before a rule was written for it (first_run_en*.txt);
6. speed: microseconds per `check_terms` call and per full `Checker.check` on the real titles.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

from listingforge.compliance import Checker, check_terms
from listingforge.compliance.terms import load_law
from listingforge.product import Finding, Product

HERE = Path(__file__).parent / "data" / "compliance"
LAW_PREFIXES = ("adlaw.", "cosmetics.", "food.", "unfair.", "consumer.")
# the sets of claims in advertisers' own words, each a title of its own (H onwards)
CLAIM_SETS = ("test_terms_h.toml", "test_terms_i.toml", "test_terms_j.toml", "test_terms_k.toml", "test_terms_l.toml",
              "test_terms_m.toml", "test_terms_n.toml", "test_terms_o.toml", "test_terms_p.toml",
              "test_terms_q.toml", "test_terms_r.toml", "test_terms_s.toml", "test_terms_u.toml",
              "test_terms_v.toml", "test_terms_w.toml", "test_terms_x.toml",
              "test_terms_y.toml", "test_terms_z.toml")
BRANDS = ["云朵", "青禾", "木森", "南山里", "花间集", "北辰"]
PRODUCTS = {
    "": ["纯棉T恤 圆领短袖", "保温杯 316不锈钢", "乳胶枕 护颈", "电饭煲 4L家用", "运动鞋 透气网面", "蓝牙耳机 降噪",
         "床垫 独立弹簧", "羊毛衫 圆领", "行李箱 20寸", "台灯 护眼", "电动牙刷 声波", "艾草足浴包 50包"],
    "美妆": ["面霜 50g", "精华液 30ml", "洗发水 500ml", "面膜 10片", "眼霜 15g", "爽肤水 200ml"],
    "食品": ["代餐粉 500g", "花草茶 30包", "燕麦片 1kg", "蜂蜜 500g", "黑芝麻丸 240g"],
}


def is_held_out(pid: str) -> bool:
    return int(hashlib.md5(pid.encode()).hexdigest(), 16) % 2 == 1


def law_findings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule.startswith(LAW_PREFIXES)]


# ---------------------------------------------------------------------------------------------- 1. recall
def test_items(name: str = "test_terms.toml") -> list[dict]:
    """One title per held-out term: the term (or its phrase) at a position and in a context that vary."""
    data = tomllib.loads((HERE / name).read_text(encoding="utf-8"))
    items = []
    for cls, terms in data.items():
        if cls == "excluded":
            continue
        for i, (term, spec) in enumerate(sorted(terms.items())):
            # "source|category|phrase", category and phrase optional; a category names 美妆 or 食品
            parts = spec.split("|")
            category = next((x for x in parts[1:] if x.startswith(("美妆", "食品"))), "")
            phrase = next((x for x in parts[1:] if x and x != category), term)
            group = "美妆" if "美妆" in category else "食品" if "食品" in category else ""
            rng = random.Random(f"{cls}{term}")
            brand, product = rng.choice(BRANDS), rng.choice(PRODUCTS[group])
            word, attr = product.split(" ")
            layout = i % 5
            if layout == 0:
                title = f"{phrase} {brand} {word} {attr}"
            elif layout == 1:
                title = f"{brand} {word} {phrase} {attr}"
            elif layout == 2:
                title = f"{brand}{attr}{word} {phrase}"
            elif layout == 3:
                title = f"{brand} {phrase}{word} {attr}"
            else:
                title = f"【{phrase}】{brand} {word} {attr}"
            at = title.find(phrase)
            items.append({"class": cls, "term": term, "phrase": phrase, "title": title, "category": category,
                          "span": (at, at + len(phrase)), "source": parts[0]})
    return items


def claim_items(name: str = "test_terms_h.toml") -> list[dict]:
    """The fourth set's items: each a claim as an advertiser wrote it, in a title of its own (not a template)."""
    data = tomllib.loads((HERE / name).read_text(encoding="utf-8"))
    items = []
    for it in data["items"]:
        at = it["title"].find(it["claim"])
        items.append({"class": it["class"], "term": it["claim"], "phrase": it["claim"], "title": it["title"],
                      "category": it.get("category", ""), "span": (at, at + len(it["claim"])),
                      "source": it["source"]})
    return items


def recall(items: list[dict]) -> tuple[list[tuple], list[dict]]:
    chk = Checker("taobao", grounding=False)
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed = []
    for it in items:
        p = Product(id="t", lang="zh", category=it["category"] or None)
        # the law's findings and the marketplace's own promotional rules (Taobao: no "原价" in a title)
        fs = [f for f in chk.check(it["title"], p, grounding=False)
              if f.rule.startswith(LAW_PREFIXES) or f.rule.endswith(".promo")]
        s, e = it["span"]
        hit = any(f.start < e and s < f.end for f in fs)
        per[it["class"]][0] += hit
        per[it["class"]][1] += 1
        if not hit:
            missed.append(it)
    rows = [(c, k, n, 100.0 * k / n) for c, (k, n) in per.items()]
    k = sum(r[1] for r in rows)
    n = sum(r[2] for r in rows)
    rows.append(("all", k, n, 100.0 * k / n))
    return rows, missed


def rewritten(items: list[dict], convert) -> list[dict]:  # noqa: ANN001 - str -> str
    """The same titles written another way: in traditional characters (OpenCC s2t), as Hong Kong and Taiwan sellers
    write, or with full-width letters and digits (ＮＯ.１, １００％)."""
    out = []
    for it in items:
        title, claim = convert(it["title"]), convert(it["title"][slice(*it["span"])])
        at = title.find(claim) if len(title) != len(it["title"]) else it["span"][0]
        if at >= 0:
            out.append({**it, "title": title, "span": (at, at + len(claim))})
    return out


def spaced(items: list[dict]) -> list[dict]:
    """Each claim with a space after its first Chinese character ("顶 级"), as sellers split words to pass filters."""
    out = []
    for it in items:
        s, e = it["span"]
        cut = next((i + 1 for i in range(s, e - 1) if "\u4e00" <= it["title"][i] <= "\u9fff"
                    and "\u4e00" <= it["title"][i + 1] <= "\u9fff"), None)
        if cut is not None:
            out.append({**it, "title": it["title"][:cut] + " " + it["title"][cut:], "span": (s, e + 1)})
    return out


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# ------------------------------------------------------------------------------------------- 2. precision
REAL = {  # the fresh set's titles were not read before their findings were judged, and no change followed
    "zh": ["zh_openbg_titles.jsonl", "zh_taobao_cosmetics_sales.jsonl"],
    "zh_fresh": ["zh_title_ner_brand_product.train.jsonl", "zh_title_ner_brand_product.dev.jsonl"],
    # the second round's sample: category-task titles (98% of them are also in zh_openbg_titles, so read in round
    # one), MEPAVE product texts, and AdvertiseGen descriptions (checked as the description field)
    "zh_round2": ["zh_openbg_category_coarse.jsonl", "zh_openbg_category_fine.jsonl", "zh_mepave_attributes.jsonl"],
    "zh_round2_desc": ["zh_advertisegen_descriptions.jsonl"],
    "en": ["en_amazon_india_products.jsonl", "en_wish_products.jsonl"],
}


def real_products(data: Path, lang: str) -> list[Product]:
    files = REAL[lang]
    out = []
    for name in files:
        for line in (data / name).read_text(encoding="utf-8").splitlines():
            out.append(Product.model_validate(json.loads(line)))
    return [p for p in out if p.title or p.description]


def finding_key(p: Product, f: Finding) -> str:
    return f"{p.id}|{f.rule}|{f.text}|{f.start}"


def precision(products: list[Product], platform: str, half_of=None,
              field: str = "title") -> tuple[list[tuple], list[dict]]:
    """Findings on each product's ``field`` (title or description) tallied by their verdicts; ``half_of`` names the
    set a product counts in (default: the md5 halves of the tuning set)."""
    verdicts = {}
    vfile = HERE / "verdicts.jsonl"
    if vfile.exists():
        for line in vfile.read_text(encoding="utf-8").splitlines():
            if line.strip():
                v = json.loads(line)
                verdicts[v["key"]] = v["verdict"]
    chk = Checker(platform, grounding=False)
    tally: dict[tuple[str, str], Counter] = defaultdict(Counter)
    unjudged = []
    for p in products:
        text = (p.title if field == "title" else p.description) or ""
        if not text:
            continue
        found = chk.check(text, p, field=field, grounding=False)
        found = law_findings(found) if platform != "amazon" else [f for f in found if f.rule.endswith(".promo")
                                                                  or f.rule.startswith("us.")]
        half = half_of(p) if half_of else "held-out" if is_held_out(p.id) else "tuning"
        for f in found:
            key = finding_key(p, f)
            v = verdicts.get(key)
            tally[(half, f.severity)][v or "unjudged"] += 1
            if v is None:
                unjudged.append({"key": key, "id": p.id, "title": text, "category": p.category, "rule": f.rule,
                                 "severity": f.severity, "claim": f.text, "fix": f.fix})
    rows = []
    for (half, sev), c in sorted(tally.items()):
        judged = c["ok"] + c["false_alarm"]
        rows.append((platform, half, sev, sum(c.values()), c["ok"], c["false_alarm"], c["unjudged"],
                     100.0 * c["ok"] / judged if judged else float("nan")))
    return rows, unjudged


BULLET_ERRORS = ("amazon.bullet_claim", "amazon.bullet_chars", "text.emoji")


def bullets_precision(products: list[Product]) -> tuple[list[tuple], list[dict]]:
    """Amazon's bullet rules on the Amazon India bullets (the description field, bullets joined by "|"): the errors
    (claims, characters, emoji) judged like the law's findings; the count and length warnings only counted (they
    apply the US limits, which categories and marketplaces vary)."""
    verdicts = {}
    vfile = HERE / "verdicts.jsonl"
    for line in vfile.read_text(encoding="utf-8").splitlines() if vfile.exists() else ():
        if line.strip():
            v = json.loads(line)
            verdicts[v["key"]] = v["verdict"]
    chk = Checker("amazon", grounding=False)
    tally: dict[tuple[str, str], Counter] = defaultdict(Counter)
    unjudged = []
    for p in products:
        if not p.description:
            continue
        half = "held-out" if is_held_out(p.id) else "tuning"
        for f in chk.check(p.description, p, field="bullets", grounding=False):
            if f.rule in BULLET_ERRORS or f.rule.startswith("us."):
                v = verdicts.get(finding_key(p, f))
                tally[(half, "error")][v or "unjudged"] += 1
                if v is None:
                    unjudged.append({"key": finding_key(p, f), "id": p.id, "title": p.description, "rule": f.rule,
                                     "severity": f.severity, "claim": f.text, "fix": f.fix})
            elif f.rule.startswith("amazon.bullet"):
                tally[(half, f"warning: {f.rule.split('.')[1]}")]["counted"] += 1
    rows = []
    for (half, sev), c in sorted(tally.items()):
        judged = c["ok"] + c["false_alarm"]
        rows.append(("amazon bullets", half, sev, sum(c.values()), c["ok"], c["false_alarm"], c["unjudged"],
                     100.0 * c["ok"] / judged if judged else float("nan")))
    return rows, unjudged


# ------------------------------------------------------------------------------------------ 3. lawful uses
def lawful_uses() -> tuple[int, int, int, list[str]]:
    uses = tomllib.loads((HERE / "lawful_uses.toml").read_text(encoding="utf-8"))["uses"]
    chk = Checker("taobao", grounding=False)
    flagged = changed = 0
    notes = []
    for u in uses:
        p = Product(id="l", lang="zh", category=u.get("category"))
        fs = law_findings(chk.check(u["text"], p, grounding=False))
        fixed, _done, _left = chk.check_and_fix(u["text"], p, grounding_mode="contradiction")
        law_changed = any(f.fix is not None for f in fs)
        flagged += bool(fs)
        changed += law_changed
        if fs:
            notes.append(f"{u['text']!r}: " + "; ".join(f"{f.rule}/{f.severity} {f.text!r}→{f.fix!r}" for f in fs))
    return len(uses), flagged, changed, notes


def near_misses(name: str) -> tuple[int, int, int, list[str]]:
    """A held-out set's lawful titles: flagged at all, and changed by the titles flow's fixes."""
    items = tomllib.loads((HERE / name).read_text(encoding="utf-8"))["lawful"]
    chk = Checker("taobao", grounding=False)
    flagged = changed = 0
    notes = []
    for it in items:
        p = Product(id="l", lang="zh", category=it.get("category") or None)
        fs = law_findings(chk.check(it["title"], p, grounding=False))
        fixed, _done, _left = chk.check_and_fix(it["title"], p, grounding_mode="contradiction")
        flagged += bool(fs)
        changed += it["phrase"] not in fixed
        if fs:
            notes.append(f"{it['title']!r}: " + "; ".join(f"{f.rule}/{f.severity} {f.text!r}" for f in fs))
    return len(items), flagged, changed, notes


# --------------------------------------------------------------------------------------- 4. stuffed titles
def stuffed_products(items: list[dict]) -> list[tuple[Product, str, list[dict]]]:
    """36 products whose titles are stuffed with 3–4 held-out terms that the law data deletes (not the ones it
    asks about: those stay, with a warning, by design)."""
    law = load_law("cn_adlaw")
    asks = {c.id for c in law.classes if not c.fixable}
    usable = []
    for it in items:
        fs = check_terms(it["title"], "cn_adlaw", category=it["category"] or None)
        s, e = it["span"]
        if any(f.start < e and s < f.end and f.rule not in asks and f.severity == "error" for f in fs):
            usable.append(it)
    rng = random.Random(7)
    out = []
    for i in range(36):
        group = ["", "美妆", "食品"][i % 3]
        pool = [it for it in usable if (("美妆" in it["category"]) if group == "美妆" else
                                          ("食品" in it["category"]) if group == "食品" else not it["category"])]
        chosen = rng.sample(pool, rng.choice([3, 4]))
        brand, product = BRANDS[i % len(BRANDS)], PRODUCTS[group][i % len(PRODUCTS[group])]
        word, attr = product.split(" ")
        pieces = [brand, word, attr]
        for it in chosen:
            pieces.insert(rng.randrange(1, len(pieces) + 1), it["phrase"])
        title = " ".join(pieces)
        category = {"": "日用百货", "美妆": "美妆 护肤", "食品": "食品 冲饮"}[group]
        p = Product(id=f"stuffed-{i}", lang="zh", category=category, brand=brand, title=title,
                    attributes=[("品牌", brand), ("品类", word), ("规格", attr)])
        out.append((p, " ".join([brand, word, attr]), chosen))
    return out


def residue(output: str, allowed: list[str]) -> list[str]:
    """What the output says beyond the allowed words (the title's own words and the product's facts)."""
    rest = output
    for w in sorted(allowed, key=len, reverse=True):
        rest = rest.replace(w, " ")
    return [x for x in re.split(r"[\s【】\[\]()（）,，、/|+\-·]+", rest) if x]


def whole_words(phrases: list[str]) -> set[str]:
    """The words of the stuffed phrases and every run of consecutive words (jieba): what a fix may keep
    without cutting a word ("中药面膜" → "面膜" keeps a word; "最强大性能" → "大性能" cuts one)."""
    from listingforge.text.segment import default_segmenter

    seg = default_segmenter()
    out = set()
    for p in phrases:
        toks = seg.cut(p)
        out |= {"".join(toks[i:j]) for i in range(len(toks)) for j in range(i + 1, len(toks) + 1)}
    return out


def stuffed(items: list[dict]) -> tuple[int, int, int, list[str]]:
    from listingforge.engine import Engine

    prods = stuffed_products(items)
    results = Engine(platform="taobao").titles([p for p, _, _ in prods])
    by_id = {r.product_id: r for r in results if r.task == "title"}
    leaks = fragments = kept = 0
    lines = []
    for p, base, chosen in prods:
        r = by_id[p.id]
        out = r.text or ""
        terms_left = [it["term"] for it in chosen if it["term"].lower() in out.lower()]
        left = law_findings(check_terms(out, "cn_adlaw", category=p.category))
        leak = bool(terms_left or [f for f in left if f.severity == "error"])
        # the flow may add the product's facts and category: words it knows, not fragments of a claim
        extra = residue(out, base.split() + [v for _, v in p.attributes] + (p.category or "").split())
        words = whole_words([it["phrase"] for it in chosen])
        # what the flow added from the catalog is not a piece of a stuffed claim
        extra = [x for x in extra if any(x in it["phrase"] for it in chosen)]
        frag = [x for x in extra if x not in words]
        leaks += leak
        fragments += bool(frag) and not leak
        kept += bool(extra) and not frag and not leak  # the claim's head word stays ("中药面膜" → "面膜")
        tag = "LEAK " if leak else "FRAG " if frag else "head " if extra else "ok   "
        lines.append(f"{tag}{p.title}  →  {out}"
                     + (f"   [left: {terms_left or [f.text for f in left]}]" if leak else "")
                     + (f"   [fragment: {frag}]" if frag else f"   [kept: {extra}]" if extra else ""))
    return len(prods), leaks, fragments, kept, lines


def claims_through_flow(names: list[str]) -> tuple[list[tuple], list[str]]:
    """The held-out sets' claims in advertisers' words, each in its own realistic title, through the titles flow:
    the claim removed whole, kept (no safe fix: the finding stays for the seller), or a piece of it left (two or
    more of its characters stay while the rest goes: "认知度最高的隆鼻术式" → "认知度隆鼻术式")."""
    from listingforge.engine import Engine

    rows, lines = [], []
    for name in names:
        its = claim_items(name)
        prods = [Product(id=f"{name}-{i}", lang="zh", title=it["title"], category=it["category"] or None)
                 for i, it in enumerate(its)]
        by_id = {r.product_id: r for r in Engine(platform="taobao").titles(prods) if r.task == "title"}
        tally = Counter()
        for p, it in zip(prods, its, strict=True):
            out = by_id[p.id].text or ""
            claim, rest_of_title = it["term"], (p.title or "").replace(it["term"], " ")
            if claim.replace(" ", "") in out.replace(" ", ""):
                tally["kept"] += 1
                continue
            pieces = [claim[a:b] for a in range(len(claim)) for b in range(a + 2, len(claim) + 1)]
            left = [x for x in pieces if x.strip() and x in out and x not in rest_of_title]
            tally["piece left" if left else "removed"] += 1
            if left:
                lines.append(f"{name}: {p.title}  →  {out}   [left: {max(left, key=len)}]")
        rows.append((name, len(its), tally["removed"], tally["kept"], tally["piece left"]))
    return rows, lines


# ---------------------------------------------------------------------------------------------- 5. English
EN_PROMO = [  # phrases of the kinds Amazon's title rules and Google Merchant Center's editorial rules name
    "100% Satisfaction Guaranteed", "Buy Now", "Lowest Price Ever", "Free Gift", "Top Seller", "Amazon's Choice",
    "Best Seller", "Hot Item", "Free Shipping", "Money Back Guarantee", "Limited Time Offer", "On Sale",
    "Best Price", "Order Now", "Shop Now", "Click Here", "50% Off", "Cheapest", "Lifetime Guarantee",
    "Risk Free", "Best Selling", "#1 Rated", "Top Rated", "Hurry", "While Supplies Last", "Deal of the Day",
    "Clearance", "Free Bonus", "Add to Cart", "Great Deal",
]
EN_PRODUCTS = ["Stainless Steel Water Bottle 32oz", "Wireless Earbuds with Charging Case", "Yoga Mat Non Slip 6mm",
               "Cotton Crew Neck T-Shirt for Men", "LED Desk Lamp with USB Port"]


# claims the bullet rules name (Amazon's detail page rules and the 2024-08-15 bullet requirements, as sourced in
# platforms/data/amazon.toml), each in a bullet of its own among ordinary ones
EN_BULLET_CLAIMS = [
    "Eco-Friendly", "environmentally friendly", "ecologically friendly", "Antimicrobial", "anti-bacterial",
    "Made from Bamboo", "contains soy", "Full Refund", "if you are not satisfied", "unconditional guarantee",
    "N/A", "TBD", "B07XYZ1234", "sales@acme.com", "www.acme.com", "$24.99", "in stock", "ships today",
    "free shipping", "5-star rated", "Best Seller", "Amazon's Choice", "™", "©", "😀",
]


def bullet_recall() -> tuple:
    chk = Checker("amazon", grounding=False)
    hit, missed = 0, []
    for claim in EN_BULLET_CLAIMS:
        text = f"Durable stainless steel body\nKeeps drinks cold {claim} for 24 hours\nFits most cup holders"
        at = text.find(claim)
        ok = any(f.start < at + len(claim) and at < f.end for f in chk.check(text, None, field="bullets")
                 if f.rule in BULLET_ERRORS)
        hit += ok
        if not ok:
            missed.append(claim)
    return ("amazon bullets", hit, len(EN_BULLET_CLAIMS), 100.0 * hit / len(EN_BULLET_CLAIMS), ", ".join(missed))


def english_recall() -> list[tuple]:
    rows = []
    for platform in ("amazon", "google"):
        chk = Checker(platform, grounding=False)
        hit = 0
        missed = []
        for i, phrase in enumerate(EN_PROMO):
            base = EN_PRODUCTS[i % len(EN_PRODUCTS)]
            title = f"{phrase} {base}" if i % 2 else f"{base} - {phrase}"
            fs = [f for f in chk.check(title, None, grounding=False) if f.rule.endswith(".promo")]
            at = title.find(phrase)
            ok = any(f.start < at + len(phrase) and at < f.end for f in fs)
            hit += ok
            if not ok:
                missed.append(phrase)
        rows.append((platform, hit, len(EN_PROMO), 100.0 * hit / len(EN_PROMO), ", ".join(missed)))
    return rows


SKIP_EN = ("bullet_length", "bullets_count", ".length")  # a bullet's or title's length is no claim


def english_held_out(name: str = "test_terms_en.toml") -> tuple[list[tuple], list[str], tuple[int, int], list[str]]:
    """The English held-out set: per class, a claim found where any rule's finding covers part of it (a length
    finding aside), on its platform and field; and its lawful near-misses flagged on their phrase."""
    data = tomllib.loads((HERE / name).read_text(encoding="utf-8"))
    checkers: dict[str, Checker] = {}

    def covering(text: str, platform: str, field: str, phrase: str) -> list:
        chk = checkers.setdefault(platform, Checker(platform, grounding=False))
        s = text.find(phrase)
        e = s + len(phrase)
        return [f for f in chk.check(text, None, field=field, grounding=False)
                if f.start < e and s < f.end and not f.rule.endswith(SKIP_EN)]

    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed = []
    for it in data["items"]:
        hit = bool(covering(it["text"], it["platform"], it["field"], it["claim"]))
        per[it["class"]][0] += hit
        per[it["class"]][1] += 1
        if not hit:
            missed.append(f"{it['claim']!r} ({it['platform']} {it['field']})")
    rows = [(c, k, n, 100.0 * k / n) for c, (k, n) in per.items()]
    k, n = sum(r[1] for r in rows), sum(r[2] for r in rows)
    rows.append(("all", k, n, 100.0 * k / n))
    flagged = [f"{u['phrase']!r} ({u['platform']})" for u in data["lawful"]
               if covering(u["text"], u["platform"], u["field"], u["phrase"])]
    return rows, missed, (len(data["lawful"]), len(flagged)), flagged


# ------------------------------------------------------------------------------------------------ 6. speed
def speed(products: list[Product]) -> tuple[float, float]:
    titles = [(p.title or "", p.category) for p in products]
    chk = Checker("taobao", grounding=False).prepare()
    best_terms = best_check = float("inf")
    for _ in range(5):  # CPU time: the machine is shared, wall time is not steady
        t0 = time.process_time()
        for t, c in titles:
            check_terms(t, "cn_adlaw", category=c)
        best_terms = min(best_terms, (time.process_time() - t0) / len(titles) * 1e6)
        t0 = time.process_time()
        for p in products:
            chk.check(p.title or "", p, grounding=False)
        best_check = min(best_check, (time.process_time() - t0) / len(products) * 1e6)
    return best_terms, best_check


def table(title: str, header: tuple, rows: list[tuple]) -> None:
    print(f"\n{title}")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for r in rows:
        print(" | ".join(f"{x:.1f}" if isinstance(x, float) else str(x) for x in r))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "data")
    ap.add_argument("--skip-flow", action="store_true", help="skip the stuffed titles through the titles flow")
    ap.add_argument("--show", type=int, default=0, help="print this many examples of each part")
    args = ap.parse_args()

    items = test_items()
    for name, label in (("test_terms.toml", "first set T1–T6 (first measured 86.1%; data then revised on its misses)"),
                        ("test_terms_fresh.toml", "second set F1, F2, F4 (first measured 71.4%; data then revised)"),
                        ("test_terms_third.toml", "third set G1–G6 (built after the revisions)")):
        its = test_items(name)
        rows, missed = recall(its)
        table(f"1. Recall on {len(its)} held-out terms, {label}; one title each, check_title on taobao",
              ("class", "caught", "terms", "recall %"), rows)
        if missed:
            print("missed: " + "; ".join(f"{m['term']} ({m['title']})" for m in missed))
    for name, label in (("test_terms_h.toml", "fourth set H: claims in advertisers' words, first measured 50.0% "
                                              "before round two's revisions"),
                        ("test_terms_i.toml", "fifth set I: built after round two's revisions, first measured 61.0% "
                                              "(53.7% with round one's data)"),
                        ("test_terms_j.toml", "sixth set J: built by a helper after round two (sources new to the "
                                              "project), first measured 54.4%"),
                        ("test_terms_k.toml", "seventh set K: built by a helper after round four (sources and "
                                              "industries new to the project), first measured 41.3%"),
                        ("test_terms_l.toml", "eighth set L: built by a helper after round five (ordinary shops' "
                                              "categories, platform rules and cases new to the project), first measured "
                                              "29.5%"),
                        ("test_terms_m.toml", "ninth set M: built by a helper after round six (cases, platform and "
                                              "children's-cosmetics rules new to the project), first measured 35.3%"),
                        ("test_terms_n.toml", "tenth set N: built by a helper after round seven (cases, draft name "
                                              "bans and word lists new to the project), first measured 34.8%"),
                        ("test_terms_o.toml", "eleventh set O: built by a helper after round eight (cases, consumer "
                                              "reports and platform rules new to the project), first measured 25.0%"),
                        ("test_terms_p.toml", "twelfth set P: built by a helper after round nine (farming, pets, "
                                              "books, collectibles and services new to the project), first measured "
                                              "19.7%"),
                        ("test_terms_q.toml", "thirteenth set Q: built by a helper after round ten (health food, "
                                              "infant formula, medical beauty, alcohol, training, franchising, "
                                              "property, appliances new to the project), first measured 7.3%"),
                        ("test_terms_r.toml", "fourteenth set R: built by a helper after round eleven (pesticides, "
                                              "seeds, consumer quasi-medical goods, 母婴, collectibles new to the "
                                              "project), first measured 28.6%"),
                        ("test_terms_s.toml", "fifteenth set S: built by a helper after round twelve (worn goods with "
                                              "health claims, lamps and screens, building materials, local services "
                                              "new to the project), first measured 20.7%"),
                        ("test_terms_u.toml", "sixteenth set U: built by a helper after round thirteen (fresh fish "
                                              "and the fishing ban, collectibles, postpartum services, adult goods, "
                                              "daily-use patches, exam gear, education new to the project), first "
                                              "measured 12.5%"),
                        ("test_terms_v.toml", "seventeenth set V: built by a helper after round fourteen (tours, "
                                              "data cards, mobility scooters, pet medicines, pregnancy and children's "
                                              "goods, 消字号 creams sold as medicines, side-job courses new to the "
                                              "project), first measured 3.8%"),
                        ("test_terms_w.toml", "eighteenth set W: built by a helper after round fifteen (games and "
                                              "cheats, virtual services, car gadgets, gold and gems, insurance and "
                                              "property, fresh food new to the project), first measured 3.4%"),
                        ("test_terms_x.toml", "nineteenth set X: built by a helper after round sixteen (drugs sold "
                                              "online, protected animals, self-defence and outdoor gear, toys and blind "
                                              "boxes, spy cameras, fibre names, hair dye and refilled cosmetics, elderly "
                                              "health gadgets new to the project), first measured 7.7%"),
                        ("test_terms_y.toml", "twentieth set Y: built by a helper after round seventeen (fireworks, "
                                              "冥币, religious names, wild orchids and poppy seed, lottery, e-bike "
                                              "unlocking, pet monkeys, 母树大红袍, signal boosters and drone jammers, "
                                              "heaters, exhaust parts, ivory, nanny certificates, beauty devices new "
                                              "to the project), first measured 3.8%"),
                        ("test_terms_z.toml", "twenty-first set Z: built by a helper after round eighteen (forged 3C "
                                              "marks, pre-registered SIM cards, satellite dishes, resealed phones, "
                                              "banned heaters and gas water heaters, unapproved pet drugs, banned "
                                              "pesticides, loose tobacco, pirated books, daggers, breast milk, "
                                              "unlicensed pork, prescription drugs, placenta, health certificates, "
                                              "social insurance, the red cross and the national emblem new to the "
                                              "project), first measured 3.7%")):
        its = claim_items(name)
        rows, missed = recall(its)
        table(f"1. Recall on {len(its)} claims, {label}; then revised on its misses", ("class", "caught", "terms",
              "recall %"), rows)
        if missed:
            print("missed: " + "; ".join(f"{m['term']} ({m['title']})" for m in missed))
    sets = [(n, test_items(n)) for n in ("test_terms.toml", "test_terms_fresh.toml", "test_terms_third.toml")]
    sets += [(n, claim_items(n)) for n in CLAIM_SETS]
    import opencc

    s2t = opencc.OpenCC("s2t").convert
    rows = []
    for name, its in sets:
        row = [name]
        for variant in (its, rewritten(its, s2t), rewritten(its, full_width), spaced(its)):
            (*_, (_, k, n, pct)), _ = recall(variant)
            row += [f"{k}/{n}", f"{pct:.1f}"]
        rows.append(tuple(row))
    table("1b. The twenty-one sets' titles as written, in traditional characters (OpenCC s2t), with full-width letters and "
          "digits, and with a space inside each claim (\"顶 级\"): recall", ("set", "as written", "%", "traditional",
          "%", "full width", "%", "spaced", "%"), rows)

    if args.data.exists():
        zh = real_products(args.data, "zh")
        fresh = real_products(args.data, "zh_fresh")
        round2 = real_products(args.data, "zh_round2")
        round2_desc = real_products(args.data, "zh_round2_desc")
        en = real_products(args.data, "en")
        prows, unjudged = precision(zh, "taobao")
        frows, funjudged = precision(fresh, "taobao", half_of=lambda p: "fresh NER")
        rrows, runjudged = precision(round2, "taobao", half_of=lambda p: "round 2 titles/texts")
        drows, djudged = precision(round2_desc, "taobao", half_of=lambda p: "round 2 descriptions", field="description")
        erows, eunjudged = precision(en, "amazon")
        brows, bunjudged = bullets_precision([p for p in en if p.id.startswith("amzin-")])
        table(f"2. Precision on real texts: {len(zh)} zh titles read while tuning (md5 halves); {len(fresh)} NER titles "
              f"(round one's fresh set); {len(round2)} category-task titles and MEPAVE texts and {len(round2_desc)} "
              f"AdvertiseGen descriptions (round two's sample); law findings on taobao; {len(en)} en on amazon: promo",
              ("platform", "set", "severity", "findings", "ok", "false alarm", "unjudged", "precision %"),
              prows + frows + rrows + drows + erows + brows)
        unjudged += funjudged + runjudged + djudged + eunjudged + bunjudged
        with open(HERE / "unjudged.jsonl", "w", encoding="utf-8") as fh:
            for u in unjudged:
                fh.write(json.dumps(u, ensure_ascii=False) + "\n")
        if unjudged:
            print(f"{len(unjudged)} findings not judged yet: {HERE / 'unjudged.jsonl'}")
    else:
        print(f"\n2. Precision: skipped, no data at {args.data}")
        zh = []

    n, flagged, changed, notes = lawful_uses()
    table("3. Lawful uses (SAMR 2023 categories)", ("uses", "flagged", "changed by a fix (target 0)"),
          [(n, flagged, changed)])
    for line in notes:
        print("  flagged: " + line)
    for name, label in (("test_terms_l.toml", "3b. Lawful titles that come close to a claim, written with the eighth "
                                              "set (its `lawful` list; first measured: 2 of 37 flagged, 0 changed)"),
                        ("test_terms_m.toml", "3c. Lawful titles that come close to a claim, written with the ninth set "
                                              "(first measured: 0 of 30 flagged)"),
                        ("test_terms_n.toml", "3d. Lawful titles that come close to a claim, written with the tenth set "
                                              "(first measured: 2 of 29 flagged, 1 changed)"),
                        ("test_terms_o.toml", "3e. Lawful titles that come close to a claim, written with the eleventh "
                                              "set (first measured: 0 of 26 flagged)"),
                        ("test_terms_p.toml", "3f. Lawful titles that come close to a claim, written with the twelfth "
                                              "set (first measured: 0 of 26 flagged)"),
                        ("test_terms_q.toml", "3g. Lawful titles that come close to a claim, written with the "
                                              "thirteenth set (first measured: 1 of 25 flagged, 0 changed)"),
                        ("test_terms_r.toml", "3h. Lawful titles that come close to a claim, written with the "
                                              "fourteenth set (first measured: 2 of 23 flagged, 1 changed)"),
                        ("test_terms_s.toml", "3i. Lawful titles that come close to a claim, written with the "
                                              "fifteenth set (first measured: 0 of 22 flagged)"),
                        ("test_terms_u.toml", "3j. Lawful titles that come close to a claim, written with the "
                                              "sixteenth set (first measured: 0 of 22 flagged)"),
                        ("test_terms_v.toml", "3k. Lawful titles that come close to a claim, written with the "
                                              "seventeenth set (first measured: 1 of 20 flagged, 0 changed)"),
                        ("test_terms_w.toml", "3l. Lawful titles that come close to a claim, written with the "
                                              "eighteenth set (first measured: 0 of 21 flagged)"),
                        ("test_terms_x.toml", "3m. Lawful titles that come close to a claim, written with the "
                                              "nineteenth set (first measured: 0 of 21 flagged)"),
                        ("test_terms_y.toml", "3n. Lawful titles that come close to a claim, written with the "
                                              "twentieth set (first measured: 0 of 21 flagged)"),
                        ("test_terms_z.toml", "3o. Lawful titles that come close to a claim, written with the "
                                              "twenty-first set (first measured: 1 of 19 flagged, 0 changed)")):
        n, flagged, changed, notes = near_misses(name)
        table(label, ("titles", "flagged", "changed by a fix (target 0)"), [(n, flagged, changed)])
        for line in notes:
            print("  flagged: " + line)

    if not args.skip_flow:
        n, leaks, frags, kept, lines = stuffed(items)
        table("4. Stuffed titles through Engine('taobao').titles",
              ("titles", "still holding a term (target 0)", "fixes leaving a fragment (target 0)",
               "a claim's head word kept (中药面膜 → 面膜)"), [(n, leaks, frags, kept)])
        for line in lines[: args.show or len(lines)]:
            print("  " + line)
        rows, lines = claims_through_flow(list(CLAIM_SETS))
        table("4b. The claims in advertisers' words (sets H–Z) through Engine('taobao').titles",
              ("set", "titles", "claim removed whole", "claim still there (not found, or no safe fix)",
               "a piece of the claim left"), rows)
        for line in lines[: args.show or len(lines)]:
            print("  " + line)

    table("5. English promotional phrases in titles and barred claims in bullets (recall)",
          ("platform", "caught", "phrases", "recall %", "missed"), english_recall() + [bullet_recall()])
    for name, label, first_flagged in (
            ("test_terms_en.toml", "5b. English held-out set EN1 (built by a helper from Amazon, Google, FTC, FDA and "
             "EPA sources; first measured 44.3%, then revised on its misses)", 2),
            ("test_terms_en2.toml", "5c. English held-out set EN2 (built by a helper after EN1's revisions from 40 "
             "sources on hosts EN1 did not use: FTC and FDA actions, EPA pesticide cases, marketplace and Google "
             "policy pages; first measured 29.6%, then revised on its misses)", 2),
            ("test_terms_en3.toml", "5d. English held-out set EN3 (built by a helper after EN2's round from 34 "
             "sources on hosts neither used: FTC, FDA and CPSC cases, marketplace category style guides, Canada, UK "
             "and Australia; first measured 40.3%, then revised on its misses)", 1),
            ("test_terms_en4.toml", "5e. English held-out set EN4 (built by a helper after EN3's round from 53 "
             "sources on hosts none of them used: FDA and FTC actions on pet, children's, CBD, hearing and sunscreen "
             "claims, USDA organic, FIFRA, fibre, fur and jewelry naming, endorsement by armed forces and agencies; "
             "first measured 7.5%, then revised on its misses)", 0),
            ("test_terms_en5.toml", "5f. English held-out set EN5 (built by a helper after EN4's round from 44 "
             "sources on hosts none of them used: helmets, drawstrings and sleepwear, jammers, emissions deletes and "
             "plate covers, switchblades, California's ozone, flushable and PFAS rules, unapproved drugs sold as "
             "supplements, device claims, the FTC's weight-loss gut check; first measured 0.0%, then revised on its "
             "misses)", 1),
            ("test_terms_en6.toml", "5g. English held-out set EN6 (built by a helper after EN5's round from 44 "
             "sources on hosts none of them used: tobacco and vaping, alcohol labeling, fireworks and hazardous "
             "goods, unapproved drugs and devices, pet disease claims, origin names; first measured 2.9%, then "
             "revised on its misses)", 1),
            ("test_terms_en7.toml", "5h. English held-out set EN7 (built by a helper after EN6's round from 43 "
             "sources on hosts none of them used: FDA-barred ingredients (7-OH, DMAA, ephedra, picamilon, amanita), "
             "nutrient-content claims against the listing's own numbers, colour additives on skin, toy guns, magnets, "
             "water beads and drones, ab-belt and hearing-aid claims; first measured 0.0%, then revised on its "
             "misses)", 1),
            ("test_terms_en8.toml", "5i. English held-out set EN8 (built by a helper after EN7's round: Magnuson-Moss "
             "warranty terms, recycled-content and plastic-free claims, California's hidden fees, gift-card expiry, "
             "down, wool and pearl naming, used goods sold as new, a toy sealed in candy, an uncertified wood stove, "
             "phone-only cancellation; first measured 3.4%, then revised on its misses)", 1)):
        rows, missed, (n_lawful, n_flagged), flagged = english_held_out(name)
        table(f"{label}: recall on Amazon, Google and Shopify titles and bullets",
              ("class", "caught", "claims", "recall %"), rows)
        if missed:
            print("missed: " + "; ".join(missed))
        print(f"lawful near-misses flagged on their phrase: {n_flagged} of {n_lawful}"
              + (f" (first measured {first_flagged})" if first_flagged is not None else "")
              + (": " + "; ".join(flagged) if flagged else ""))

    if zh:
        terms_us, check_us = speed(zh)
        table(f"6. Speed ({len(zh)} real titles, CPU µs, best of 5)", ("check_terms µs/title", "Checker.check µs/title"),
              [(terms_us, check_us)])


if __name__ == "__main__":
    sys.exit(main())
