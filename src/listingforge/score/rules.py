"""A transparent rule score (0–100) for a title, used until a learned scorer is trained.

Points, each with a reason a seller can read:
  length fit 25 · attribute coverage 25 · keyword coverage 15 · brand up front 10 · product word 10 ·
  clean (no findings) 15; with the catalog's language model (``spec.extra["lm"]``), readability 10 (how the
  text reads against the catalog's median title); a word said twice costs 4.
When ``spec.extra["style_refs"]`` holds the seller's own titles for the most similar products (the titles
flow fills it when a language model runs, from the few-shot index), a seventh part, style 20, says how much
the text reads like them (character-bigram overlap), and the total is rescaled to 0–100. Without it the
score favours whatever stuffs the most attributes in, which is how compose writes, not how sellers do.
What counts as a key attribute, product word and keyword comes from ``spec.extra`` (the titles flow fills
it from the catalog-learned composer), so this module needs no model.
"""

from __future__ import annotations

import re
from typing import Any

from ..product import Score
from ..text.length import text_length
from ..text.similarity import char_bigrams, dice
from .base import ScoreInput

NAME = "rules@1"


def _present(phrase: str, low: str) -> bool:
    return bool(phrase) and phrase.lower() in low


_STYLE_POINTS = 20.0
_READ_POINTS = 10.0
_READ_SCALE = 3.0  # nats per character: from the catalog's median title to none of the points
_REPEAT_POINTS = 4.0
_LATIN = re.compile(r"[a-z][a-z'\-]{2,}")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_FUNCTION_WORDS = {"and", "for", "with", "the", "of", "to", "in", "on", "by", "from", "pack", "set"}


def _repeated(low: str) -> list[str]:
    """Words said twice: an English word of three letters or more (not "and", "for"…), or two Chinese characters
    that come back later ("补水保湿 … 补水", "洗面奶女…洗面奶")."""
    seen, out = set(), []
    for w in _LATIN.findall(low):
        if w in seen and w not in _FUNCTION_WORDS and w not in out:
            out.append(w)
        seen.add(w)
    runs = _CJK_RUN.findall(low)
    for i, run in enumerate(runs):
        before = "|".join(runs[:i])
        j = 0
        while j < len(run) - 1:
            pair = run[j:j + 2]
            if (pair in before or pair in run[j + 2:]) and pair not in out:
                out.append(pair)
                j += 2  # "洗面奶 … 洗面奶" is one word said twice, not 洗面 and 面奶
            else:
                j += 1
    return out


def _overlap(a: str, b: str) -> float:
    """Dice overlap of character bigrams, case and spaces ignored."""
    return dice(char_bigrams(a, fold=True), char_bigrams(b, fold=True))


class RuleScorer:
    name = NAME

    def score(self, items: list[ScoreInput]) -> list[Score]:
        return [self.score_one(it) for it in items]

    def score_one(self, it: ScoreInput) -> Score:
        text, spec = it.text, it.spec
        low = text.lower()
        reasons: list[Any] = []  # dicts: the Score validates them into Reasons

        n = text_length(text, spec.unit)
        fill = n / max(spec.max_units, 1)
        if n > spec.max_units:
            pts, msg = 0.0, f"over the length limit ({n}/{spec.max_units} {spec.unit})"
        elif fill >= 0.8:
            pts, msg = 25.0, f"uses the length well ({n}/{spec.max_units})"
        else:
            pts, msg = 25.0 * fill / 0.8, f"short: {n}/{spec.max_units} {spec.unit} used"
        reasons.append({"feature": "length_fit", "points": pts, "message": msg})

        key_attrs: list[str] = spec.extra.get("key_attributes", [])
        if key_attrs:
            have = [a for a in key_attrs if _present(a, low)]
            pts = 25.0 * len(have) / len(key_attrs)
            missing = [a for a in key_attrs if a not in have][:3]
            msg = f"{len(have)}/{len(key_attrs)} key attributes" + (f" (missing {', '.join(missing)})" if missing
                                                                    else "")
        else:
            pts, msg = 12.5, "no key attributes known"
        reasons.append({"feature": "attribute_coverage", "points": pts, "message": msg})

        kws = spec.keywords
        if kws:
            have = [k for k in kws if _present(k, low)]
            density = sum(len(k) for k in have) / max(len(text), 1)
            pts = 15.0 * len(have) / len(kws)
            msg = f"{len(have)}/{len(kws)} search words, density {density:.0%}"
        else:
            pts, msg = 7.5, "no search words given"
        reasons.append({"feature": "keyword_coverage", "points": pts, "message": msg})

        brand = spec.extra.get("brand")
        if brand:
            at = low.find(brand.lower())
            if at < 0:
                pts, msg = 0.0, f"brand {brand!r} missing"
            elif at <= 10:
                pts, msg = 10.0, "brand in the first 10 characters"
            else:
                pts, msg = 4.0, f"brand not in the first 10 characters (at {at})"
        else:
            pts, msg = 10.0, "no brand to show"
        reasons.append({"feature": "brand_position", "points": pts, "message": msg})

        words = spec.extra.get("product_words", [])
        if words:
            hit = None
            for w in words:
                if _present(w, low):
                    hit = w
                    break
            pts, msg = (10.0, f"names the product ({hit})") if hit else (0.0, f"product word missing ({words[0]})")
        elif spec.extra.get("field") in ("title", "short_title"):
            # a title that cannot say what the product is needs the seller's data fixed, not a better wording
            pts, msg = 0.0, "no product word in the data: add 品名, 类型 or the category"
        else:
            pts, msg = 5.0, "no product word known"
        reasons.append({"feature": "product_word", "points": pts, "message": msg})

        errors = [f for f in it.findings if f.severity == "error"]
        warnings = [f for f in it.findings if f.severity == "warning"]
        pts = max(0.0, 15.0 - 15.0 * len(errors) - 5.0 * len(warnings))
        if errors or warnings:
            rules = sorted({f.rule for f in errors + warnings})
            msg = f"{len(errors)} errors, {len(warnings)} warnings ({', '.join(rules)})"
        else:
            msg = "no findings"
        reasons.append({"feature": "findings", "points": pts, "message": msg})

        total = 100.0
        lm = spec.extra.get("lm")
        if lm is not None:  # how natural the text reads, against the catalog's median title
            gap = lm.typical_ - lm.fluency(text)  # nats per character below the catalog's median title
            pts = _READ_POINTS * max(0.0, min(1.0, 1.0 - gap / _READ_SCALE))
            msg = "reads like your catalog's titles" if gap <= 0.5 else f"reads less naturally ({gap:.1f} below)"
            reasons.append({"feature": "readability", "points": pts, "message": msg})
            total += _READ_POINTS
        repeated = _repeated(low) if spec.extra.get("field") in ("title", "short_title") else []
        if repeated:  # a title says each word once; a description may well come back to one
            reasons.append({"feature": "redundancy", "points": -_REPEAT_POINTS * len(repeated),
                            "message": f"says {', '.join(repeated[:3])} twice"})
        refs: list[str] = spec.extra.get("style_refs") or []
        if refs:
            sim, ref = max((_overlap(text, r), r) for r in refs)
            pts = _STYLE_POINTS * min(1.0, sim / 0.5)
            reasons.append({"feature": "style", "points": pts,
                            "message": f"{sim:.0%} like your title for a similar product ({ref[:20]}…)"})
            total += _STYLE_POINTS
        value = max(0.0, min(100.0, sum(r["points"] for r in reasons) * 100.0 / total))
        if errors:  # a title that breaks a rule never outranks a clean one
            value = min(value, 40.0)
        # the reasons go in as plain dicts: one validation builds the Score and its Reasons (6 separate
        # Reason(...) calls cost as much again)
        return Score(value=round(value, 1), reasons=reasons, scorer=NAME)
