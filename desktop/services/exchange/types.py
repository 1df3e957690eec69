"""What the exchange service returns (``desktop.services.exchange.service``): plain read models."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop.core.checks import CheckResult
from desktop.errors import ValidationError
from desktop.services.exchange.importer import ImportResult


class ExportBlocked(ValidationError):
    """The pre-submission check found problems; nothing was frozen or written."""

    def __init__(self, result: CheckResult) -> None:
        lines = [f"· {i.message}" for i in result.errors[:8]]
        room = max(0, 8 - len(lines))
        lines += [f"· （提醒未说明）{i.message}" for i in result.open_warnings[:room]]
        more = len(result.errors) + len(result.open_warnings) - len(lines)
        if more > 0:
            lines.append(f"……另有 {more} 条")
        super().__init__(
            f"上报前校验未通过：{len(result.errors)} 个错误，"
            f"{len(result.open_warnings)} 条提醒尚未填写说明，未导出上报包。\n" + "\n".join(lines),
            hint="\n请在“年度清单”中改正错误；确需保留的提醒请填写说明后再上报。",
        )
        self.result = result


@dataclass(frozen=True)
class PeriodCoverage:
    """The period a package reports (the latest with any progress) and how many of the
    list's tasks have progress for it: "报送周期：2027年第三季度（已填报 2/287 项）"."""

    key: str  # "" when no task has any progress yet: the package carries the list alone
    label: str
    filled: int
    tasks: int

    @property
    def text(self) -> str:
        if not self.key:
            return "报送周期：无（还没有填报任何进展，上报包只含清单）"
        return f"报送周期：{self.label}（已填报 {self.filled}/{self.tasks} 项）"

    @property
    def sparse(self) -> bool:
        """Progress reported, but for fewer than half of the tasks: worth a second look."""
        return bool(self.key) and self.filled * 2 < self.tasks


@dataclass(frozen=True)
class ExportResult:
    path: Path
    list_id: int
    version: int
    tasks: int
    sha256: str
    size: int
    period_key: str
    period_label: str
    warnings: int  # accepted warnings travelling with their explanations
    first_submission: bool
    period_filled: int = 0  # tasks with progress for the period reported
    sequence: int = 0  # the export's number among the list's exports
    fingerprint: str = ""  # of the office key that signed it

    @property
    def signed_text(self) -> str:
        return f"第 {self.sequence} 次导出，已用本单位密钥签名（指纹 {self.fingerprint}）"

    @property
    def coverage(self) -> PeriodCoverage:
        return PeriodCoverage(self.period_key, self.period_label, self.period_filled, self.tasks)

    @property
    def message(self) -> str:
        again = "" if self.first_submission else "（该版本此前已上报，本次为重新导出）"
        return f"已导出上报包：{self.path}（第{self.version}版，{self.tasks} 项任务）{again}"


@dataclass(frozen=True)
class ImportBatch:
    results: tuple[ImportResult, ...]
    failures: tuple[tuple[Path, str], ...]  # (file, Chinese message)
    backup: Path | None
    cancelled: bool = False
    # refused because signed by another key than the one pinned for the locality: the user
    # may compare the new fingerprint and import again accepting it
    key_changes: tuple[KeyChange, ...] = ()


@dataclass(frozen=True)
class KeyChange:
    path: Path
    locality: str
    old: str  # fingerprint pinned
    new: str  # fingerprint of the package's key


@dataclass(frozen=True)
class SubmissionView:
    id: int
    at: str
    operator: str
    file_name: str
    sha256: str
    period_key: str
    list_id: int | None  # None: a combined package sent without an own list
    year: int
    version: int  # of the own list (0 when none went)
    doc_number: str
    period_label: str = ""
    lower_lists: int = 0  # lower localities' lists carried in a combined package

    @property
    def what(self) -> str:
        """第2版 / 第2版＋下级5份 / 下级5份."""
        own = f"第{self.version}版" if self.list_id is not None else ""
        lower = f"下级{self.lower_lists}份" if self.lower_lists else ""
        return "＋".join(p for p in (own, lower) if p)
