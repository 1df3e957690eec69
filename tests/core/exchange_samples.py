"""A small, complete package built from plain data (no database), for the core tests."""

from __future__ import annotations

from datetime import date

from desktop.core.exchange_files import (
    FORMAT_VERSION,
    HumanCopy,
    ListInfo,
    Manifest,
    PackageCheckNote,
    PackageData,
    PackageExclusion,
    PackageMilestone,
    PackagePeriod,
    PackageProgress,
    PackageTask,
    PackageWarning,
    build_package,
    package_stem,
)


def sample_data(tasks: int = 3) -> PackageData:
    items = tuple(
        PackageTask(
            uid=f"00000000-0000-4000-8000-{i:012d}",
            number=str(i + 1),
            position=i,
            content=f"推进第{i + 1}项重点工作，建立工作机制。",
            target_text="建成平台1个",
            target_value="2.5" if i == 0 else None,
            target_unit="亿元" if i == 0 else "",
            lead_units=("县科技局",),
            co_units=("县经信局", "县财政局") if i % 2 else (),
            leader="王建国副县长",
            person="赵磊",
            phone="13800000000",
            start_on=date(2027, 1, 1),
            deadline=date(2027, 12, 31),
            remarks="",
            origin="draft",
            closed_on=None,
            closed_by="",
            close_evidence="",
            carried_from_uid="",
            measure_codes=("一.（一）.1",) if i else ("一.（一）.1", "一.（一）.2"),
            milestones=(
                PackageMilestone(date(2027, 3, 31), "一季度", "制定方案", 20),
                PackageMilestone(date(2027, 12, 31), "四季度", "全面完成", 100),
            ),
        )
        for i in range(tasks)
    )
    periods = (
        PackagePeriod("2027-Q1", "2027年第一季度", date(2027, 1, 1), date(2027, 3, 31), None),
        PackagePeriod("2027-Q2", "2027年第二季度", date(2027, 4, 1), date(2027, 6, 30), None),
    )
    return PackageData(
        work_list=ListInfo(
            locality="示例县",
            locality_code="330999",
            level="县级",
            parent="示例市",
            year=2027,
            version=2,
            notice_doc_number="浙政发〔2026〕16号",
            notice_title="浙江省人民政府关于推进服务业扩能提质的实施意见",
            title="示例县2027年重点工作任务清单",
            state="submitted",
            cadence="quarterly",
            due_day=25,
            explanation="个别条目不适用，已说明。",
            created_at="2027-01-05T09:00:00+08:00",
            checked_at="2027-01-20T09:00:00+08:00",
            submitted_at="2027-01-21T09:00:00+08:00",
            submitted_by="周静",
        ),
        tasks=items,
        exclusions=(PackageExclusion("一.（六）.17", "本县无期货交割库"),),
        periods=periods,
        progress=tuple(
            PackageProgress(t.uid, "2027-Q1", "已制定方案。", 20, updated_by="周静") for t in items
        ),
        check_notes=(PackageCheckNote("no-milestone:x", "任务 9 没有设置节点", "年底一次完成"),),
        warnings=(PackageWarning("no-milestone:x", "任务 9 没有设置节点", "年底一次完成"),),
        check_summary="校验通过（1 条提醒已说明）",
    )


def sample_manifest(data: PackageData) -> Manifest:
    wl = data.work_list
    return Manifest(
        format_version=FORMAT_VERSION,
        program_name="清单台账",
        program_version="0.1.0",
        database_revision="0001",
        locality=wl.locality,
        locality_code=wl.locality_code,
        level=wl.level,
        parent=wl.parent,
        reporting_office="示例县发展和改革局",
        year=wl.year,
        notice_doc_number=wl.notice_doc_number,
        notice_title=wl.notice_title,
        list_version=wl.version,
        period_key="2027-Q1",
        period_label="2027年第一季度",
        exported_at="2027-04-20T10:00:00+08:00",
        operator="周静",
        reviewer="陈志强",
        contact="0571-88880000",
        tasks=len(data.tasks),
        files=(),
    )


def sample_package(tasks: int = 3) -> bytes:
    data = sample_data(tasks)
    wl = data.work_list
    return build_package(
        sample_manifest(data),
        data,
        [
            HumanCopy("示例县清单.xlsx", "xlsx", b"PK fake xlsx bytes"),
            HumanCopy("示例县清单.pdf", "pdf", b"%PDF-1.4 fake"),
        ],
        package_stem(wl.locality, wl.year, wl.notice_doc_number, wl.version),
    )
