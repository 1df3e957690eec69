"""The upward package (上报包): its format, building it, and reading an untrusted one.

Qt-free and database-free; reading needs only the standard library (zipfile, json,
hashlib). The format is written down in ``docs/package-format.md``.
"""

from __future__ import annotations

from .archive import DEFAULT_LIMITS, Limits
from .bundle import (
    Absent,
    Bundle,
    BundleManifest,
    BundlePart,
    PartEntry,
    build_bundle,
    bundle_manifest_to_json,
    part_name,
    read_upward,
)
from .data import data_bytes, data_from_json, data_to_json
from .manifest import manifest_from_json, manifest_to_json
from .model import (
    DATA_FILE,
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST_FILE,
    FileEntry,
    ListInfo,
    Manifest,
    Package,
    PackageCheckNote,
    PackageData,
    PackageExclusion,
    PackageFigures,
    PackageMilestone,
    PackagePeriod,
    PackageProgress,
    PackageTask,
    PackageWarning,
    TaskFigure,
)
from .names import package_stem
from .package import HumanCopy, build_package, read_package, sha256_hex

__all__ = [
    "DATA_FILE",
    "DEFAULT_LIMITS",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MANIFEST_FILE",
    "Absent",
    "Bundle",
    "BundleManifest",
    "BundlePart",
    "FileEntry",
    "HumanCopy",
    "Limits",
    "ListInfo",
    "Manifest",
    "Package",
    "PackageCheckNote",
    "PackageData",
    "PackageExclusion",
    "PackageFigures",
    "PackageMilestone",
    "PackagePeriod",
    "PackageProgress",
    "PackageTask",
    "PackageWarning",
    "PartEntry",
    "TaskFigure",
    "build_bundle",
    "build_package",
    "bundle_manifest_to_json",
    "data_bytes",
    "data_from_json",
    "data_to_json",
    "manifest_from_json",
    "manifest_to_json",
    "package_stem",
    "part_name",
    "read_package",
    "read_upward",
    "sha256_hex",
]
