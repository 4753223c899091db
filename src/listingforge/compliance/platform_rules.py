"""Marketplace rule checks driven by a ``Platform`` data object: length, characters, repeats, promo, caps."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from ..platforms import Platform
from ..product import Finding
from ..text.find import find_all
from ..text.length import text_length
from ..text.normalize import matching_form
from ..text.segment import Segmenter

# Emoji and pictographs break most marketplaces' title fields; control characters break every one.
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]|[\x00-\x08\x0b-\x1f\x7f]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
# a word of letters only, not the letters inside a model number ("UA32T4340BKXXL")
_WHOLE_LATIN_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z'\-]*(?![A-Za-z0-9])")


def check_length(text: str, platform: Platform, field: str, max_units: int | None = None) -> list[Finding]:
    lim = platform.limit(field)
    top = max_units if max_units is not None else lim.max
    n = text_length(text, lim.unit)
    out = []
    if n > top:
        out.append(Finding(
            rule=f"{platform.name}.length", severity="error", field=field, start=0, end=len(text), text="",
            message=f"{n} {lim.unit} units, over the {platform.name} limit of {top} ({lim.source})",
            fix=None,  # cutting needs word boundaries: fixes.fit_length does it
        ))
    elif n < lim.min:
        out.append(Finding(rule=f"{platform.name}.length_min", severity="error", field=field, start=0,
                           end=len(text), message=f"{n} {lim.unit} units, under the minimum of {lim.min}"))
    return out


def check_chars(text: str, platform: Platform, field: str, brand: str | None, *,
                marketplace_chars: bool = True) -> list[Finding]:
    """The marketplace's forbidden characters (titles) and emoji / control characters (every field)."""
    forbidden = _char_class(platform.forbidden_chars) if marketplace_chars else None
    out = _forbidden_chars(text, forbidden, rule=f"{platform.name}.chars", field=field,
                           source=platform.forbidden_chars_source, brand=brand)
    for m in _EMOJI.finditer(text):
        out.append(Finding(rule="text.emoji", severity="error", field=field, start=m.start(), end=m.end(),
                           text=m.group(), message="emoji / control character in a listing field", fix=""))
    return out


def _forbidden_chars(text: str, chars: re.Pattern[str] | None, *, rule: str, field: str, source: str,
                     where: str = "", brand: str | None = None) -> list[Finding]:
    """A finding for each character of ``chars`` in the text, deleted by its fix; between two words it was a
    separator, so a space keeps them apart ("Lithium_Polymer"). A brand that spells one ("A&F") keeps it."""
    out: list[Finding] = []
    protected = None
    for m in chars.finditer(text) if chars is not None else ():
        i, ch = m.start(), m.group()
        if protected is None:  # looked for only when a character occurs
            protected = find_all(brand, text) if brand else []
        if any(a <= i < b for a, b in protected):
            continue
        joins = 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()
        out.append(Finding(rule=rule, severity="error", field=field, start=i, end=i + 1, text=ch,
                           message=f"character {ch!r} is not allowed{where} ({source})", fix=" " if joins else "",
                           basis=source))
    return out


@lru_cache(maxsize=32)
def _char_class(chars: str) -> re.Pattern[str] | None:
    """One character class of a marketplace's forbidden characters: a title without any is one C search."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(set(chars))) + "]") if chars else None


# the fields a marketplace reads as a list of words: its title rules apply there, and a flagged phrase can be cut
TITLE_FIELDS = ("title", "short_title")


@lru_cache(maxsize=32)
def _promo_patterns(phrases: tuple[str, ...], patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for every promotional pattern and every phrase (longest first, whole words). The patterns
    come first: each is written to take a whole claim ("money back guarantee", not "money back")."""
    # most patterns start a word ("\b…"): behind one guard they are tried at words' starts only, not at every
    # character (a hundred patterns over each title's seventy characters was most of the check's time)
    at_words = [p for p in patterns if p.startswith(r"\b")]
    pats = [p for p in patterns if not p.startswith(r"\b")]
    for phrase in sorted(phrases, key=len, reverse=True):
        pat = re.escape(phrase)
        if phrase[0].isalnum():
            pat = r"(?<![A-Za-z0-9])" + pat
        if phrase[-1].isalnum():
            pat += r"(?![A-Za-z0-9])"
        pats.append(pat)
    if at_words:
        pats.insert(0, r"(?<!\w)(?=\w)(?:" + "|".join(f"(?:{p})" for p in at_words) + ")")
    return re.compile("|".join(f"(?:{p})" for p in pats), re.IGNORECASE) if pats else None


def prepare_promo(platform: Platform) -> None:
    """Compile the platform's promotional-phrase patterns now (before forking workers)."""
    _promo_patterns(tuple(platform.promo_phrases), tuple(platform.promo_patterns))


def check_promo(text: str, platform: Platform, field: str) -> list[Finding]:
    """Promotional phrases and patterns; one finding per match, deleted by the fix in a title (a list of words),
    left for the seller to reword in a description or a bullet, where a cut leaves a broken sentence."""
    pattern = _promo_patterns(tuple(platform.promo_phrases), tuple(platform.promo_patterns))
    if pattern is None:
        return []
    found = [(m.start(), m.end()) for m in pattern.finditer(matching_form(text)) if m.end() > m.start()]  # 原價 is 原价
    fix = "" if field in TITLE_FIELDS else None
    return [Finding(rule=f"{platform.name}.promo", severity="error", field=field, start=s, end=e, text=text[s:e],
                    fix=fix, basis=platform.promo_source, message=f"promotional phrase {text[s:e]!r} ({platform.promo_source})")
            for s, e in found]


_BULLET_SPLIT = re.compile(r"\n|\|")


def bullet_spans(text: str) -> list[tuple[int, int]]:
    """Each bullet's (start, end) in the text, without its surrounding spaces: one bullet a line, or a "|" between
    bullets where a catalog joined them on one line (Amazon exports do)."""
    cuts = [-1, *(m.start() for m in _BULLET_SPLIT.finditer(text)), len(text)]
    spans = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        seg = text[a + 1:b]
        if seg.strip():
            lead = len(seg) - len(seg.lstrip())
            spans.append((a + 1 + lead, a + 1 + len(seg.rstrip())))
    return spans


@lru_cache(maxsize=32)
def _bullet_patterns(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


def prepare_bullets(platform: Platform) -> None:
    """Compile the platform's bullet patterns now (before forking workers)."""
    if platform.bullets is not None:
        _bullet_patterns(tuple(platform.bullets.patterns))
        _char_class(platform.bullets.forbidden_chars)


def check_bullets(text: str, platform: Platform, field: str = "bullets") -> list[Finding]:
    """A marketplace's bullet rules: how many bullets and how long (warnings: categories differ), characters it
    bars (deleted), and claims it bars (no fix: the seller rewords the bullet, as a cut claim leaves a fragment)."""
    rules = platform.bullets
    if rules is None:
        return []
    name = platform.name
    spans = bullet_spans(text)
    out = []
    if len(spans) > rules.max_count:
        out.append(Finding(rule=f"{name}.bullets_count", severity=rules.severity_format, field=field,
                           start=0, end=len(text), text="", basis=rules.format_source,
                           message=f"{len(spans)} bullets, more than {rules.max_count} ({rules.format_source})"))
    for a, b in spans:
        if b - a > rules.max_chars:
            out.append(Finding(rule=f"{name}.bullet_length", severity=rules.severity_format, field=field,
                               start=a, end=b, text=text[a:b][:40], basis=rules.format_source,
                               message=f"a bullet of {b - a} characters, over {rules.max_chars} ({rules.format_source})"))
    out += _forbidden_chars(text, _char_class(rules.forbidden_chars), rule=f"{name}.bullet_chars", field=field,
                            source=rules.forbidden_chars_source, where=" in bullets")
    pattern = _bullet_patterns(tuple(rules.patterns))
    for m in pattern.finditer(text) if pattern is not None else ():
        if m.end() > m.start():
            out.append(Finding(rule=f"{name}.bullet_claim", severity="error", field=field, start=m.start(),
                               end=m.end(), text=m.group(), fix=None, basis=rules.source,
                               message=f"{m.group()!r} is not allowed in bullets: reword the bullet ({rules.source})"))
    return out


_PHRASE_SEPARATORS = re.compile(r"[,，、;；|/()（）【】\[\]{}]|\s[-–—]\s")


def check_repeats(text: str, platform: Platform, field: str, segmenter: Segmenter) -> list[Finding]:
    """A word used more than ``repeats.max`` times: a finding for each extra use. The fix removes a whole phrase
    that says nothing the rest of the text does not ("…, USB Cable, …" when "USB" and "Cable" stand elsewhere);
    one word alone is never cut out of its phrase ("USB Cable for Type C" → "USB for Type C"), so where no such
    phrase exists the finding has no fix and the seller rewords."""
    rule = platform.repeats
    if not _may_repeat(text, rule.max):
        return []
    exempt = {w.lower() for w in rule.exempt}
    spans = segmenter.spans(text)
    seen: dict[str, int] = defaultdict(int)
    out: list[Finding] = []
    for tok, s, e in spans:
        key = tok.lower()
        if not _counts_as_word(tok, exempt):
            continue
        seen[key] += 1
        if seen[key] <= rule.max or any(f.start <= s and e <= f.end for f in out):
            continue
        phrase = _redundant_phrase(text, spans, s, e, exempt)
        start, end = phrase or (s, e)
        out.append(Finding(rule=f"{platform.name}.repeat", severity=rule.severity, field=field, start=start,
                           end=end, text=text[start:end], fix="" if phrase else None, basis=rule.source,
                           message=f"{tok!r} used {seen[key]} times, more than {rule.max} ({rule.source})"))
    return out


def _counts_as_word(tok: str, exempt: set[str]) -> bool:
    # one CJK character or a number is not a "word" buyers see as stuffing
    return tok.lower() not in exempt and len(tok) >= 2 and not tok.isdigit() and any(c.isalnum() for c in tok)


def _redundant_phrase(text: str, spans: list[tuple[str, int, int]], s: int, e: int,
                      exempt: set[str]) -> tuple[int, int] | None:
    """The phrase (between separators) around ``text[s:e]`` when the same phrase stands elsewhere too
    ("USB Cable, …, USB Cable"); "13 Pro" is not said by "13 Pro Max", nor by "13" and "Pro" apart."""
    cuts = [0, *(m.start() for m in _PHRASE_SEPARATORS.finditer(text)), len(text)]
    start = max(c for c in cuts if c <= s)
    end = min(c for c in cuts if c >= e)
    if start > 0 or _PHRASE_SEPARATORS.match(text, start):
        start += 1  # the separator before the phrase stays; tidy() drops the doubled one
    if start == 0 and end == len(text):
        return None

    def words(a: int, b: int) -> str:
        return " ".join(t.lower() for t, x, y in spans if a <= x and y <= b)

    phrase = words(start, end)
    others = {words(x + (x > 0), y) for x, y in zip(cuts, cuts[1:], strict=False) if (x, y) != (start - 1, end)
              and not (x <= start < y)}
    return (start, end) if phrase and phrase in others else None


def _may_repeat(text: str, limit: int) -> bool:
    """Cheap pre-check: can any word occur more than ``limit`` times? (Any repeated word repeats its bigrams.)"""
    low = text.lower()
    words = _LATIN_WORD.findall(low)
    pairs = list(zip(low, low[1:], strict=False))
    if limit >= 1 and len(set(words)) == len(words) and len(set(pairs)) == len(pairs):
        return False  # nothing occurs twice (the usual case), so nothing occurs more than the limit
    counts: dict[str, int] = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
        if counts[w] > limit:
            return True
    for i in range(len(low) - 1):
        g = low[i:i + 2]
        counts[g] = counts.get(g, 0) + 1
        if counts[g] > limit:
            return True
    return False


def check_caps(text: str, platform: Platform, field: str, keep: set[str], *, brand_known: bool = True,
               ) -> list[Finding]:
    if not platform.all_caps:
        return []
    out = []
    for i, m in enumerate(_WHOLE_LATIN_WORD.finditer(text)):
        w = m.group()
        if "-" in w or (i == 0 and not brand_known):
            continue  # "USB-A", "MU-MIMO" are technical; an unknown first word is likely the brand
        # 5+ letters: most acronyms (USB, HDMI, QLED) are shorter, and a longer one with no vowel is one too (FMVSS;
        # NHTSA, with one, is flagged); words the product data spells so are kept
        if len(w) >= 5 and w.isupper() and w not in keep and any(c in "AEIOU" for c in w):
            out.append(Finding(rule=f"{platform.name}.caps", severity="warning", field=field, start=m.start(),
                               end=m.end(), text=w, fix=w.capitalize(),
                               message=f"ALL CAPS word {w!r} ({platform.all_caps_source})"))
    return out
