"""Evidence files (佐证材料): which kinds are accepted, judged by content, and who may fetch them.

A file's kind is read from its first bytes (the `filetype` library's signatures), never from
the name or the browser's Content-Type, and the name's extension must agree with it: a script
renamed to .pdf, an HTML page, an executable or an archive is refused. Plain text must be
UTF-8 (or GB18030) without control bytes. Accepted files are stored content-addressed under
DATA_DIR/evidence, outside the web root, and are only ever sent back as downloads
(Content-Disposition: attachment, X-Content-Type-Options: nosniff, a sandboxing CSP) to
people who may read the report, so a browser never renders or runs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import filetype

from luoshi.errors import Invalid, NotFound
from luoshi.services.permissions import Actor, check
from luoshi.services.transactions import get_or_404, reading
from luoshi.services.views import AttachmentView
from luoshi.storage import Database
from luoshi.storage.models import Attachment, ProgressReport, TaskAssignment

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


@dataclass(frozen=True)
class EvidenceKind:
    """An accepted kind of evidence: the type its content shows and the extensions it may carry."""

    mime: str
    extensions: tuple[str, ...]
    label: str


# Accepted kinds. `detected` is what the content shows (filetype's MIME, or "text" for plain
# text); OFD (the Chinese e-document format) is a zip package, so a zip is only accepted as .ofd.
KINDS: dict[str, EvidenceKind] = {
    "application/pdf": EvidenceKind("application/pdf", (".pdf",), "PDF"),
    "image/png": EvidenceKind("image/png", (".png",), "PNG 图片"),
    "image/jpeg": EvidenceKind("image/jpeg", (".jpg", ".jpeg"), "JPEG 图片"),
    "image/gif": EvidenceKind("image/gif", (".gif",), "GIF 图片"),
    "image/webp": EvidenceKind("image/webp", (".webp",), "WebP 图片"),
    DOCX: EvidenceKind(DOCX, (".docx",), "Word"),
    XLSX: EvidenceKind(XLSX, (".xlsx",), "Excel"),
    PPTX: EvidenceKind(PPTX, (".pptx",), "PowerPoint"),
    "application/msword": EvidenceKind("application/msword", (".doc",), "Word 97-2003"),
    "application/vnd.ms-excel": EvidenceKind("application/vnd.ms-excel", (".xls",), "Excel 97"),
    "application/vnd.oasis.opendocument.text": EvidenceKind(
        "application/vnd.oasis.opendocument.text", (".odt",), "ODF 文本"
    ),
    "application/vnd.oasis.opendocument.spreadsheet": EvidenceKind(
        "application/vnd.oasis.opendocument.spreadsheet", (".ods",), "ODF 表格"
    ),
    "application/zip": EvidenceKind("application/ofd", (".ofd",), "OFD 版式文件"),
    "text": EvidenceKind("text/plain", (".txt", ".csv", ".md"), "纯文本"),
}
# Bytes that never occur in a real text file (NUL and the other C0 controls but tab, LF, CR, FF).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def accepted_extensions() -> str:
    """The accepted extensions, for the file picker's `accept` attribute and messages."""
    return ",".join(ext for kind in KINDS.values() for ext in kind.extensions)


def _is_text(data: bytes) -> bool:
    if any(b in _CONTROL for b in data[:65536]):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def check_file(filename: str, data: bytes) -> str:
    """The content type of an acceptable evidence file; Invalid naming the file otherwise."""
    name = Path(filename).name or "file"
    if not data:
        raise Invalid(f"{name}: 文件为空 the file is empty")
    extension = Path(name).suffix.lower()
    detected = filetype.guess_mime(data) or ("text" if _is_text(data) else None)
    kind = KINDS.get(detected or "")
    if kind is None:
        raise Invalid(
            f"{name}: 不支持的文件类型({detected or '无法识别'}),可上传 "
            f"unsupported file type; accepted: {accepted_extensions()}"
        )
    if extension not in kind.extensions:
        raise Invalid(
            f"{name}: 文件内容是{kind.label},与扩展名 {extension or '(无)'} 不符 "
            f"content is {kind.mime}, extension {extension or '(none)'} does not match"
        )
    if kind.mime == "text/plain" and data.lstrip()[:1] == b"<":
        raise Invalid(f"{name}: 不接受网页或标记文件 markup files are not accepted")
    return "text/csv" if extension == ".csv" else kind.mime


def stored_path(evidence_dir: Path, sha256: str) -> Path:
    """Where the bytes of a file with this digest live (content-addressed)."""
    return evidence_dir / sha256[:2] / sha256


def read_attachment(
    db: Database, actor: Actor, attachment_id: int, evidence_dir: Path
) -> tuple[AttachmentView, bytes]:
    """An evidence file and its bytes, for those who may read its report."""
    check(actor, "report.read")
    with reading(db) as s:
        att = get_or_404(s, Attachment, attachment_id, "佐证材料 attachment")
        report = get_or_404(s, ProgressReport, att.report_id, "进展报告 report")
        task = get_or_404(s, TaskAssignment, report.task_id, "任务 task")
        check(actor, "report.read", task.department_id)
        view = AttachmentView.model_validate(att)
    path = stored_path(evidence_dir, view.sha256)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"佐证材料 {attachment_id} 的文件已丢失 file missing on disk") from None
    return view, data
