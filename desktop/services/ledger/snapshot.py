"""A frozen period's ledger kept as JSON (``ReportingPeriod.snapshot``) and read back: the
reprint of a frozen period is the very document it was frozen with."""

from __future__ import annotations

import json
from dataclasses import asdict

from desktop.core.reports import (
    LedgerDocument,
    LedgerMeasureGroup,
    LedgerPart,
    LedgerRow,
    LedgerSection,
    SignOff,
)


def document_to_json(doc: LedgerDocument) -> str:
    return json.dumps(asdict(doc), ensure_ascii=False)


def document_from_json(text: str) -> LedgerDocument:
    data = json.loads(text)
    parts = [
        LedgerPart(
            heading=p["heading"],
            sections=[
                LedgerSection(
                    title=s["title"],
                    groups=[
                        LedgerMeasureGroup(
                            label=g["label"],
                            detail=g.get("detail", ""),
                            not_applicable=g.get("not_applicable"),
                            note=g.get("note"),
                            rows=[LedgerRow(**r) for r in g["rows"]],
                        )
                        for g in s["groups"]
                    ],
                )
                for s in p["sections"]
            ],
        )
        for p in data["parts"]
    ]
    return LedgerDocument(
        title=data["title"],
        basis=data["basis"],
        office=data["office"],
        as_of=data["as_of"],
        parts=parts,
        signoff=SignOff(**data.get("signoff", {})),
        paper=data.get("paper", "A4"),
        show_progress=data.get("show_progress", True),
        subtitle=data.get("subtitle", ""),
        page_numbering=data.get("page_numbering", "part"),
        columns=tuple(data.get("columns", ())),
    )
