"""Strict, counted parsing of model output into task answers.

Accepts the JSON object we asked for (also inside a code fence or after chatter) and, for backends
without structured output, a plain line. Strips what models add around an answer: numbering, bullets,
"标题：" / "Title:" labels, quotes and brackets, trailing explanations. Collapses loops
("控油控油控油" → "控油") when asked. Anything else is a ``ParseFailure`` with a reason, which the
generator counts: the unparseable rate is a first-class metric.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ...product import Task

REASONS = ("empty", "refusal", "bad_json", "missing_field", "injection", "echo", "too_long")

_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.S)
_NUMBERING = re.compile(r"^\s*(?:[-*•·]\s+|\d{1,2}\s*[.、)）:：]\s*|[(（]\d{1,2}[)）]\s*|[一二三四五]\s*[、.]\s*)")
_LABEL = re.compile(
    r"^\s*(?:优化后的?|改写后的?|新的?|推荐的?)?(?:商品)?(?:短标题|标题|描述|文案|标签)\s*[:：]\s*"
    r"|^\s*(?:new |optimized |rewritten |improved |short )?(?:product )?(?:title|description|tags?)\s*:\s*",
    re.I,
)
_PAIRS = {'"': '"', "'": "'", "`": "`", "“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "【": "】"}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
_EXPLAIN = re.compile(
    r"^\s*(?:以下是|下面是|这是|好的|当然|注[:：]|说明[:：]|解释[:：]|理由[:：]|备注[:：]"
    r"|here(?:'s| is| are)\b|sure\b|certainly\b|note\s*:|explanation\s*:)",
    re.I,
)
_REFUSAL = re.compile(
    r"i (?:cannot|can't|can not|am unable to|'m unable to) |i'm sorry|as an ai\b|作为(?:一个)?(?:ai|人工智能)"
    r"|抱歉|对不起|无法(?:完成|满足|提供)|不能(?:完成|满足)",
    re.I,
)
_INJECTION_PAYLOAD = re.compile(
    r"(?:忽略|无视|ignore|disregard|forget)[^\n]{0,40}?(?:输出|回答|写|打印|output|write|print|say|respond with)"
    r"\s*[:：]?\s*[\"'“”]?([^\"'“”\n]{2,60})",
    re.I,
)
# a title is words, not sentences: "连衣裙，通勤装，半高领" reads "连衣裙 通勤装 半高领"
_SENTENCE_MARKS = re.compile(r"\s*[，；。！]+\s*")
_TAG_SPLIT = re.compile(r"[,，、;；|/#\n]+")


@dataclass
class Parsed:
    value: str | list[str]  # str for titles / descriptions, list for tags
    via: str  # "json" | "text"
    fixes: list[str] = field(default_factory=list)  # what was stripped or repaired


@dataclass
class ParseFailure:
    reason: str  # one of REASONS
    detail: str = ""


def injection_payloads(texts: list[str]) -> list[str]:
    """What an instruction hidden in product text asks the model to write ("…输出：HACKED" → HACKED)."""
    out = []
    for t in texts:
        for m in _INJECTION_PAYLOAD.finditer(t):
            payload = m.group(1).strip(" 。.!！")
            if len(payload) >= 2:
                out.append(payload)
    return out


def collapse_loops(text: str, min_repeats: int = 3, max_unit: int = 8) -> tuple[str, bool]:
    """Cut runs of one 2..max_unit-character unit repeated ``min_repeats``+ times to one copy.

    Digits-only units and single characters are left alone (1000ml, XXXL, AAA电池 are facts), except a
    CJK character repeated 4+ times.
    """
    def keep_one(m: re.Match[str]) -> str:
        unit = m.group(1)
        return m.group(0) if unit.isdigit() or unit.isspace() else unit

    changed = False
    new = re.sub(r"([\u4e00-\u9fff])\1{3,}", r"\1", text)
    changed, text = new != text, new
    for size in range(2, max_unit + 1):
        pattern = re.compile(rf"(.{{{size}}})\1{{{min_repeats - 1},}}", re.S)
        new = pattern.sub(keep_one, text)
        if new != text:
            changed, text = True, new
    return text, changed


def _strip_line(line: str, fixes: list[str]) -> str:
    s = line.strip()
    for rx, name in ((_NUMBERING, "numbering"), (_LABEL, "label")):
        new = rx.sub("", s, count=1)
        if new != s:
            fixes.append(name)
            s = new.strip()
    unwrapped = _unquote(s)
    if unwrapped != s:
        s = unwrapped
        fixes.append("quotes")
    return s


def _unquote(s: str) -> str:
    """The answer without the quotes around it ("「缤肌发膜」") and without a quote or bracket at either end that has no
    partner ("】滋润保湿唇膏", "缤肌发膜”"); a bracket the title itself uses ("【新品】唇膏") stays."""
    while len(s) >= 2 and _PAIRS.get(s[0]) == s[-1] and (s[0] == s[-1] or s.find(s[-1], 1) == len(s) - 1):
        s = s[1:-1].strip()
    while s:
        if s[0] in _CLOSERS and (_CLOSERS[s[0]] != s[0] or s[0] not in s[1:]):
            s = s[1:].strip()  # closed before anything opened it (a symmetric quote: with no second one)
        elif s[0] in _PAIRS and _PAIRS[s[0]] not in s[1:]:
            s = s[1:].strip()  # opened and never closed
        elif s[-1] in _PAIRS and (_PAIRS[s[-1]] != s[-1] or s[-1] not in s[:-1]):
            s = s[:-1].strip()  # opened with nothing after it
        elif s[-1] in _CLOSERS and _CLOSERS[s[-1]] not in s[:-1]:
            s = s[:-1].strip()  # closed and never opened
        else:
            break
    return s


def _json_candidates(raw: str) -> list[str]:
    out = [m.group(1) for m in _FENCE.finditer(raw)]
    start = raw.find("{")
    while start != -1:
        depth, in_str, esc = 0, False, False
        for i in range(start, len(raw)):
            ch = raw[i]
            if in_str:
                if esc:
                    esc = False
                elif ch == "\\":
                    esc = True
                elif ch == '"':
                    in_str = False
            elif ch == '"':
                in_str = True
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    out.append(raw[start: i + 1])
                    break
        start = raw.find("{", start + 1)
    return out


def _from_json(raw: str, key: str) -> tuple[object, bool] | None:
    """(value, found_object) for the first JSON object with ``key``; None when no object parses."""
    found = False
    for chunk in _json_candidates(raw):
        try:
            obj = json.loads(chunk)
        except ValueError:
            continue
        if isinstance(obj, dict):
            found = True
            if key in obj:
                return obj[key], True
            # lenient on the key's spelling only: {"Title": …}, {"titles": [...]}
            for k, v in obj.items():
                if k.lower().rstrip("s") == key.rstrip("s"):
                    return v, True
    return (None, True) if found else None


_TRUNC_STR = re.compile(r'^\s*\{\s*"(\w+)"\s*:\s*"((?:[^"\\]|\\.)*)\\?$', re.S)
_TRUNC_LIST = re.compile(r'^\s*\{\s*"(\w+)"\s*:\s*\[(.*)$', re.S)
_JSON_STR = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _salvage_truncated(text: str, key: str) -> str | list[str] | None:
    m = _TRUNC_STR.match(text)
    if m and m.group(1).lower() == key and m.group(2).strip():
        try:
            return json.loads(f'"{m.group(2)}"')
        except ValueError:
            return m.group(2)
    m = _TRUNC_LIST.match(text)
    if m and key == "tags" and m.group(1).lower() == key:
        items = [json.loads(f'"{x}"') for x in _JSON_STR.findall(m.group(2))]
        return items or None
    return None


def parse(
    raw: str,
    task: Task,
    *,
    collapse: bool = True,
    forbidden: list[str] | None = None,
    echo_of: str | None = None,
    max_chars: int | None = None,
) -> Parsed | ParseFailure:
    """Parse one model answer for ``task``.

    ``forbidden``: injection payloads found in the product text; an answer containing one is
    rejected. ``echo_of``: text the answer must not merely repeat (the prompt's own instruction).
    ``max_chars``: answers longer than this are runaway generations, rejected (length fitting to the
    marketplace limit is the checks' job, not the parser's).
    """
    text = (raw or "").strip()
    if not text:
        return ParseFailure("empty")
    key = "tags" if task == "tags" else ("description" if task == "description" else "title")
    fixes: list[str] = []
    value: object = None
    via = "json"
    got = _from_json(text, key)
    if got is not None:
        value, _ = got
        if value is None:
            return ParseFailure("missing_field", f"no {key!r} in the JSON answer")
    elif text.lstrip().startswith("{"):
        # cut off by max_tokens mid-string (length-aware stopping): keep what was written
        value = _salvage_truncated(text, key)
        if value is None:
            return ParseFailure("bad_json", text[:120])
        fixes.append("truncated")
    else:
        via = "text"
        if _REFUSAL.search(text[:200]):
            return ParseFailure("refusal", text[:120])
        lines = [ln for ln in text.splitlines() if ln.strip()]
        kept = [ln for ln in lines if not _EXPLAIN.match(ln)]
        if len(kept) < len(lines):
            fixes.append("explanation")
        if not kept:
            return ParseFailure("empty", "only explanations")
        value = kept if task == "tags" else (" ".join(kept) if task == "description" else kept[0])
        if task not in ("tags", "description") and len(kept) > 1:
            fixes.append("extra_lines")

    if task == "tags":
        if via == "text":  # lines of "a, b、c" or one tag per line
            items = [x for line in value for x in _TAG_SPLIT.split(_strip_line(str(line), fixes))]  # type: ignore[union-attr]
        else:
            items = value if isinstance(value, list) else _TAG_SPLIT.split(str(value))
        tags: list[str] = []
        for item in items:
            t = _strip_line(str(item), fixes).strip(" #")
            if t and t not in tags and len(t) <= 40:
                tags.append(t)
        if not tags:
            return ParseFailure("empty", "no tags")
        result: str | list[str] = tags
        joined = " ".join(tags)
    else:
        if isinstance(value, list):
            value = value[0] if value else ""
            fixes.append("list")
        if not isinstance(value, str):
            return ParseFailure("missing_field", f"{key!r} is not text: {value!r}"[:120])
        s = _strip_line(value, fixes) if task != "description" else value.strip()
        if task != "description":
            unpunctuated = _SENTENCE_MARKS.sub(" ", s)
            if unpunctuated != s:
                s = unpunctuated
                fixes.append("punctuation")
        s = " ".join(s.split())
        if collapse:
            s, changed = collapse_loops(s)
            if changed:
                fixes.append("loop")
        if not s:
            return ParseFailure("empty")
        if _REFUSAL.search(s):
            return ParseFailure("refusal", s[:120])
        result = joined = s
    low = joined.lower()
    for payload in forbidden or []:
        if payload.lower() in low:
            return ParseFailure("injection", f"answer contains the injected text {payload!r}")
    if echo_of and joined.strip() == echo_of.strip():
        return ParseFailure("echo", "answer repeats the prompt")
    if max_chars is not None and len(joined) > max_chars:
        return ParseFailure("too_long", f"{len(joined)} characters > {max_chars}")
    return Parsed(result, via, fixes)
