"""Results → the flat columns a seller reads in a spreadsheet (no I/O: the CLI writes them)."""

from __future__ import annotations

from typing import Any

from ..product import Finding, Result

NOTHING_TO_SAY = ("no title written: the row states nothing a title can say (no brand, no product word, no attribute "
                  "value but placeholders such as 其他 or 见描述); add the product's name or type (品名, 类型) or a title")


def findings_text(findings: list[Finding]) -> str:
    return "; ".join(f"{f.rule}: {f.text}" if f.text else f"{f.rule}: {f.message}" for f in findings)


def title_columns(results: list[Result], platforms: list[str], short: bool) -> dict[str, Any]:
    """Columns for one product: new_title, score, reasons, changes, findings, generator (+ short_title),
    suffixed ``_<platform>`` when there are several platforms."""
    row: dict[str, Any] = {}
    many = len(platforms) > 1
    for plat in platforms:
        sfx = f"_{plat}" if many else ""
        title = next((r for r in results if r.platform == plat and r.task == "title"), None)
        if title is None or title.best is None:
            # a blank title says why: the row failed, or it states nothing a title can say
            why = "" if title is None or title.error else NOTHING_TO_SAY
            row.update({f"new_title{sfx}": "", f"score{sfx}": None, f"reasons{sfx}": why, f"changes{sfx}": "",
                        f"findings{sfx}": "", f"generator{sfx}": ""})
            if title is not None and title.error:
                row["error"] = title.error
            continue
        b = title.best
        row[f"new_title{sfx}"] = b.candidate.text
        row[f"score{sfx}"] = b.score.value
        decision = b.candidate.meta.get("decision")
        row[f"reasons{sfx}"] = "; ".join(x for x in (decision, b.score.explain()) if x)
        row[f"changes{sfx}"] = (title.changes or "unchanged") if title.before is not None else "generated"
        row[f"findings{sfx}"] = findings_text(b.findings)
        gen = b.candidate.generator + (f" ({b.candidate.model})" if b.candidate.model else "")
        if b.candidate.meta.get("fallback"):
            gen += f" [fallback: {b.candidate.meta['fallback']}]"
        row[f"generator{sfx}"] = gen
        row[f"score_before{sfx}"] = title.before.score.value if title.before else None
        row[f"fixed{sfx}"] = "; ".join(sorted({f.rule for f in title.fixed}))
        row[f"alternatives{sfx}"] = " | ".join(a.candidate.text for a in title.alternatives)
        if short:
            s = next((r for r in results if r.platform == plat and r.task == "short_title"), None)
            row[f"short_title{sfx}"] = s.best.candidate.text if s and s.best else ""
    return row
