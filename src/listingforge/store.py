"""The data layer: runs, their outputs, reviewers' feedback on texts, and feedback on tags.

SQLite by default (a file next to the catalog), any SQLAlchemy URL otherwise. No business logic: rows
go in and come out as plain records; what a verdict means is decided by the code that reads them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, create_engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from .errors import ConfigError
from .tagging.base import TagFeedback

TEXT_VERDICTS = ("accept", "edit", "reject")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class _Base(DeclarativeBase):
    pass


class RunRow(_Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task: Mapped[str] = mapped_column(String(32))
    platform: Mapped[str] = mapped_column(String(64), default="")
    config: Mapped[str] = mapped_column(Text, default="{}")  # JSON: generators, models, rules, options
    created_at: Mapped[str] = mapped_column(String(32), default=_now)


class OutputRow(_Base):
    __tablename__ = "outputs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    product_id: Mapped[str] = mapped_column(String(128), index=True)
    task: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float | None] = mapped_column(default=None)
    generator: Mapped[str] = mapped_column(String(128), default="")
    findings: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of findings


class FeedbackRow(_Base):
    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[str] = mapped_column(String(128), index=True)
    task: Mapped[str] = mapped_column(String(32))
    verdict: Mapped[str] = mapped_column(String(16))  # accept | edit | reject
    text: Mapped[str] = mapped_column(Text, default="")  # the output judged
    edited: Mapped[str | None] = mapped_column(Text, default=None)  # the reviewer's version, for "edit"
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"), default=None)
    created_at: Mapped[str] = mapped_column(String(32), default=_now)


class TagFeedbackRow(_Base):
    __tablename__ = "tag_feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[str] = mapped_column(String(128), index=True)
    type: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(16))  # accept | reject
    start: Mapped[int] = mapped_column(Integer, default=-1)
    end: Mapped[int] = mapped_column(Integer, default=-1)
    created_at: Mapped[str] = mapped_column(String(32), default=_now)


def database_url(target: str | Path) -> str:
    """A path → a SQLite URL; anything with ``://`` is taken as a SQLAlchemy URL."""
    text = str(target)
    return text if "://" in text else f"sqlite:///{Path(text).expanduser()}"


class Store:
    """``Store("listingforge.db")`` or ``Store("postgresql://…")``; tables are created on first use."""

    def __init__(self, url: str | Path = "listingforge.db") -> None:
        self.url = database_url(url)
        try:
            self._engine = create_engine(self.url)
            _Base.metadata.create_all(self._engine)
        except (SQLAlchemyError, ImportError) as exc:
            raise ConfigError(f"cannot open the store at {self.url}: {exc}") from exc

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- runs and outputs -------------------------------------------------------------------------
    def start_run(self, task: str, *, platform: str = "", config: dict[str, Any] | None = None) -> int:
        with Session(self._engine) as s, s.begin():
            row = RunRow(task=task, platform=platform, config=json.dumps(config or {}, ensure_ascii=False))
            s.add(row)
            s.flush()
            return row.id

    def add_outputs(self, run_id: int, outputs: Iterable[dict[str, Any]]) -> int:
        """Each output: product_id, task, text, and optionally score, generator, findings (list)."""
        rows = [OutputRow(run_id=run_id, product_id=str(o["product_id"]), task=o["task"], text=o.get("text") or "",
                          score=o.get("score"), generator=o.get("generator") or "",
                          findings=json.dumps(o.get("findings") or [], ensure_ascii=False, default=str))
                for o in outputs]
        with Session(self._engine) as s, s.begin():
            s.add_all(rows)
        return len(rows)

    def runs(self, task: str | None = None) -> list[dict[str, Any]]:
        q = select(RunRow).order_by(RunRow.id)
        if task:
            q = q.where(RunRow.task == task)
        with Session(self._engine) as s:
            return [{"id": r.id, "task": r.task, "platform": r.platform, "config": json.loads(r.config),
                     "created_at": r.created_at} for r in s.scalars(q)]

    def outputs(self, run_id: int) -> list[dict[str, Any]]:
        with Session(self._engine) as s:
            rows = s.scalars(select(OutputRow).where(OutputRow.run_id == run_id).order_by(OutputRow.id))
            return [{"product_id": r.product_id, "task": r.task, "text": r.text, "score": r.score,
                     "generator": r.generator, "findings": json.loads(r.findings)} for r in rows]

    # -- feedback on texts ------------------------------------------------------------------------
    def add_feedback(self, product_id: str, task: str, verdict: str, text: str = "", *,
                     edited: str | None = None, run_id: int | None = None) -> None:
        if verdict not in TEXT_VERDICTS:
            raise ConfigError(f"feedback verdict {verdict!r}: use one of {', '.join(TEXT_VERDICTS)}")
        if verdict == "edit" and not edited:
            raise ConfigError("an 'edit' verdict needs the edited text")
        with Session(self._engine) as s, s.begin():
            s.add(FeedbackRow(product_id=str(product_id), task=task, verdict=verdict, text=text, edited=edited,
                              run_id=run_id))

    def feedback(self, task: str | None = None) -> list[dict[str, Any]]:
        q = select(FeedbackRow).order_by(FeedbackRow.id)
        if task:
            q = q.where(FeedbackRow.task == task)
        with Session(self._engine) as s:
            return [{"product_id": r.product_id, "task": r.task, "verdict": r.verdict, "text": r.text,
                     "edited": r.edited, "run_id": r.run_id, "created_at": r.created_at} for r in s.scalars(q)]

    # -- feedback on tags -------------------------------------------------------------------------
    def add_tag_feedback(self, items: Iterable[TagFeedback]) -> int:
        rows = [TagFeedbackRow(product_id=f.product_id, type=f.type, value=f.value, verdict=f.verdict,
                               start=f.start, end=f.end) for f in items]
        with Session(self._engine) as s, s.begin():
            s.add_all(rows)
        return len(rows)

    def tag_feedback(self) -> list[TagFeedback]:
        """All tag verdicts, oldest first."""
        with Session(self._engine) as s:
            return [TagFeedback(product_id=r.product_id, type=r.type, value=r.value, verdict=r.verdict,
                                start=r.start, end=r.end)
                    for r in s.scalars(select(TagFeedbackRow).order_by(TagFeedbackRow.id))]
