"""Safe automatic fixes: apply findings' replacements, refuse those that would leave a fragment, and cut a
text to a length at a word boundary.

A fix is safe when the text it leaves reads as whole words: it does not cut a word in two ("最美长裙" → "美长裙"),
leave a one-character function word hanging where the claim was ("可治疗失眠" → "可失眠", which says the
opposite), or leave a connector with nothing to connect ("Cable for Type C" → "for Type C"). An unsafe fix is not
applied: the finding stays for the seller to resolve, and the seller's wording is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..product import Finding
from ..text.lang import is_cjk_char
from ..text.length import text_length
from ..text.normalize import normalize_spaces
from ..text.segment import Segmenter

# one-character words that lean on the word after or before them: left alone, they change what is claimed
_LEANING = set("可能会让使令助帮防抗治去祛除无不非是为与和及或的之更超很较最极太也还都就才已被把将对给向在从于以")
_CONNECTORS = {"for", "with", "and", "&", "of", "to", "or", "compatible", "from", "by", "in", "on", "+", "/"}
_SEPARATOR = re.compile(r"[\s,，、;；|/()（）【】\[\]\-–—·+]")
_EMPTY_BRACKETS = re.compile(r"【\s*】|\(\s*\)|（\s*）|\[\s*\]|「\s*」|《\s*》|<\s*>")


def apply_fixes(text: str, findings: list[Finding]) -> tuple[str, list[Finding]]:
    """Apply every finding that has a fix, right to left, skipping overlaps. Returns (text, applied)."""
    applied: list[Finding] = []
    last_start = len(text) + 1
    for f in sorted((f for f in findings if f.fix is not None), key=lambda f: (f.start, f.end), reverse=True):
        if f.end > last_start:
            continue
        text = text[:f.start] + f.fix + text[f.end:]
        last_start = f.start
        applied.append(f)
    return tidy(text), applied


def leaves_fragment(text: str, finding: Finding, segmenter: Segmenter) -> str | None:
    """The fragment a finding's fix would leave in ``text``, or None when the fix leaves whole words."""
    if finding.fix is None:
        return None
    s, e = finding.start, finding.end
    new = text[:s] + finding.fix + text[e:]
    seam_l, seam_r = s, s + len(finding.fix)
    standalone = {(a, b) for _t, a, b in segmenter.spans(text)}
    for tok, a, b in segmenter.spans(new):
        if len(tok) != 1 or not is_cjk_char(tok) or b < seam_l or a > seam_r:
            continue  # only a lone CJK character at the seam can be a fragment
        if seam_l <= a and b <= seam_r:
            return _around(new, a, b)  # all that is left of the claim is one character ("最美" → "美")
        leans_on_removed = (b == seam_l and tok in _LEANING and new[seam_r:seam_r + 1].strip()
                            and not _SEPARATOR.match(new[seam_r])) or (a == seam_r and tok in _LEANING)
        # where the character stood before the fix: a word of its own, or a piece of a longer one
        orig = (a, b) if b <= seam_l else (a - seam_r + e, b - seam_r + e)
        if leans_on_removed or orig not in standalone:
            return _around(new, a, b)
    # an English connector left with nothing on one side ("Cable for , …", "… - with")
    left, right = new[:seam_l].rstrip(), new[seam_r:].lstrip()
    before = re.search(r"([A-Za-z&+]+)$", left)
    after = re.match(r"([A-Za-z&+]+)", right)
    if before and before.group(1).lower() in _CONNECTORS and (not right or _SEPARATOR.match(right[0])):
        return before.group(1)
    if after and after.group(1).lower() in _CONNECTORS - {"compatible"} and (not left or _SEPARATOR.match(left[-1])):
        return after.group(1)
    return None


_SCOPE = re.compile(r"\b(?:on|in|at)\s+(?:amazon|flipkart|ebay|walmart|india|the\s+market|the\s+world|the\s+us|usa)\b"
                    r"|全网|全国|全球|天猫|淘宝|京东|拼多多", re.IGNORECASE)
_LEFTOVER_CHARS = 7  # the longest rest of a segment that goes with a Chinese claim (whole_segment)
_SEGMENT_EDGE = re.compile(r"[\s,，、;；|/【】\[\]()（）]")
_PHRASE_EDGE = re.compile(r"[,，、;；|/【】\[\]()（）\-–—]")


def whole_segment(text: str, finding: Finding, segmenter: Segmenter, keep: Callable[[str], bool]) -> Finding:
    """A deletion that would leave a bare word alone in its segment takes the segment: "顶级音质" → not "音质",
    "永久保修" → not "保修", "国家级配方" → not "配方" — what is left said nothing without the claim. A leftover
    that names something (a product word, a known value, a number: ``keep``) stays ("最好用的洗面奶" → "洗面奶");
    several Chinese words that name nothing go with the claim they were said with."""
    if finding.fix != "" or finding.rule.endswith(".length"):
        return finding
    start, end = finding.start, finding.end
    # Chinese segments are parted by spaces too; English phrases only by punctuation ("#1 Bottle on Amazon")
    edge = _PHRASE_EDGE if finding.text.isascii() else _SEGMENT_EDGE
    # a span that already takes a separator at one end (the deletion of "治疗痘痘 ") stops there
    while start > 0 and not edge.match(text[start - 1]) and not edge.match(text[start]):
        start -= 1
    while end < len(text) and not edge.match(text[end]) and not edge.match(text[end - 1]):
        end += 1
    if start == 0 and end == len(text):
        return finding  # a title without segments: no segment to take
    rest = (text[start:finding.start] + text[finding.end:end]).strip()
    if _SCOPE.search(rest) and len(rest.split()) <= 4:
        # what is left says where the removed rank held ("#1 Bottle on Amazon", "全网销量第一 天猫"): all of it goes
        return finding.model_copy(update={"start": start, "end": end, "text": text[start:end]})
    toks = segmenter.cut(rest) if rest else []
    if not toks or any(c.isdigit() for c in rest) or keep(rest) or any(keep(t) for t in toks):
        return finding
    if len(toks) > 1 and (finding.text.isascii() or any(c.isascii() and c.isalpha() for c in rest)):
        return finding  # other Latin words may stand alone ("Wireless" of "Best Wireless Mouse"), a model, a brand
    if len(rest) > _LEFTOVER_CHARS:
        return finding  # a long rest is a phrase of its own ("补水去细纹淡化黑眼圈" beside "去眼袋")
    # nothing left in the segment names anything: it said nothing without the claim ("不买就亏大了" → not "大了",
    # "能抑制肿瘤生长和转移" → not "生长和转移")
    return finding.model_copy(update={"start": start, "end": end, "text": text[start:end]})


def _around(text: str, a: int, b: int) -> str:
    return text[max(0, a - 2):min(len(text), b + 2)]


def tidy(text: str) -> str:
    """Remove what deletions leave behind: empty brackets, doubled or lone separators, separators at the ends, a bracket
    closed at the start or opened at the end ("】滋润保湿唇膏": its other half was cut off)."""
    text = _EMPTY_BRACKETS.sub(" ", text)
    text = re.sub(r"([,，/|+、\-·])(\s*\1)+", r"\1", text)
    text = re.sub(r"\s+[，、；]\s+", " ", text)  # a Chinese mark with a space on each side joins nothing: its clause went
    text = re.sub(r"^[\s,，/|+、\-·】\]）)」』》]+|[\s,，/|+、\-·【\[（(「『《]+$", "", text)
    return normalize_spaces(text)


def fit_length(text: str, max_units: int, unit: str, segmenter: Segmenter) -> str:
    """The longest prefix that fits, cut where a phrase ends when that keeps most of the room ("…, Grey" goes
    whole), else at a word boundary; never inside a word (nor between a word and the lone character jieba split
    from it: 充电|宝), never ending on a connector or an open bracket."""
    if text_length(text, unit) <= max_units:
        return text
    tail = _TRAILING_GROUP.search(text)  # "… (2M, Grey)": variant details, the first thing to give up
    if tail and tail.start() > 0 and text_length(text[:tail.start()], unit) <= max_units:
        return tidy(text[:tail.start()])
    word_cut = phrase_cut = 0
    for _s, e, _head in segmenter.pieces(text):
        if text_length(text[:e], unit) > max_units:
            break
        word_cut = e
        rest = text[e:].lstrip()
        if not rest or _PHRASE_END.match(rest):
            phrase_cut = e
    cut = phrase_cut if phrase_cut and text_length(text[:phrase_cut], unit) >= 0.6 * max_units else word_cut
    out = _close_brackets(text[:cut])
    while True:  # a connector or an opened bracket with nothing after it is a fragment
        trimmed = _DANGLING.sub("", out)
        if trimmed == out:
            break
        out = trimmed
    return tidy(out)


def _close_brackets(text: str) -> str:
    """Cut before the last bracket the text opens and does not close ("… G8 (2M, Grey" → "… G8")."""
    depth, last_open = 0, None
    for i, ch in enumerate(text):
        if ch in "(（【[":
            if depth == 0:
                last_open = i
            depth += 1
        elif ch in ")）】]" and depth:
            depth -= 1
    return text[:last_open] if depth and last_open is not None else text


_TRAILING_GROUP = re.compile(r"\s*[(（【\[][^()（）【】\[\]]*[)）】\]]\s*$")
_PHRASE_END = re.compile(r"[,，、;；|()（）【】\[\]]|\s/\s|[-–—]\s")  # "10/20/30ml" is one phrase
_DANGLING = re.compile(r"(?:\s*[(（【\[]\s*|\s+(?:and|or|for|with|of|to|in|on|by|from|&|\+)\s*|[和与及或的])$",
                       re.IGNORECASE)
