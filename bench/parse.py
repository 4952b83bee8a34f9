"""Benchmark: outline-and-targets throughput of document intake on a plan of more than 1 MB.

The document is built from the sample speech and from plan-like chapters assembled from
varied phrases (a fixed seed, so every run reads the same text): 第X章/第X节 with paragraph
measures and targets, speech-style 一、/(一)/一是 parts, dash paragraphs, 专栏 boxes, hard-wrapped
pages with page numbers. The baseline, measured in the same run, is the floor any reader pays:
decode the bytes and split the text into sentences.

Goal (issue 3): at least 2 MB/s, and no worse than 5x the decode-and-split floor.
Run: .venv/bin/python bench/parse.py
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

from luoshi.documents import Outline, parse_bytes, parse_source, read_bytes
from luoshi.documents.targets import find_targets

SAMPLE = (
    Path(__file__).parents[1] / "src" / "luoshi" / "data" / "samples" / "city-15th-fyp-speech.txt"
)
TARGET_BYTES = 1_200_000
GOAL_MB_S = 2.0
GOAL_RATIO = 5.0
REPEATS = 5

VERBS = [
    "加快",
    "推动",
    "深化",
    "完善",
    "健全",
    "强化",
    "培育",
    "壮大",
    "提升",
    "优化",
    "建设",
    "实施",
]
OBJECTS = [
    "先进制造业集群",
    "数字基础设施",
    "科技创新体系",
    "现代物流体系",
    "城市更新行动",
    "乡村振兴战略",
    "生态保护修复",
    "公共服务体系",
    "营商环境",
    "开放平台",
    "人才发展机制",
    "社会保障体系",
    "现代金融服务",
    "养老服务体系",
    "应急管理能力",
    "法治政府建设",
    "文化旅游产业",
    "绿色低碳产业",
]
DETAILS = [
    "依托重点企业和科研院所,攻克一批关键核心技术,形成一批具有竞争力的产品",
    "围绕产业链部署创新链,推动创新链产业链资金链人才链深度融合",
    "聚焦重点领域和薄弱环节,加大投入力度,完善配套政策,提升综合承载能力",
    "统筹城乡区域协调发展,推动基本公共服务均等化,增强人民群众获得感",
    "坚持系统观念,强化部门协同,建立健全监测评估和考核激励机制",
]
INDICATORS = [
    ("地区生产总值", "年均增长{:.0f}%左右"),
    ("常住人口城镇化率", "达到{:.1f}%"),
    ("城镇调查失业率", "控制在{:.1f}%以内"),
    ("单位地区生产总值能耗", "累计降低{:.1f}%"),
    ("研发经费投入强度", "达到{:.1f}%以上"),
    ("人均预期寿命", "提高{:.0f}岁"),
    ("粮食综合生产能力", "稳定在{:.0f}万吨以上"),
]
CN = "一二三四五六七八九十"


def cn(n: int) -> str:
    """1..99 as a Chinese numeral (larger numbers in digits, as long plans print them)."""
    if n > 99:
        return str(n)
    tens, ones = divmod(n, 10)
    if n < 10:
        return CN[n - 1]
    return ("" if tens == 1 else CN[tens - 1]) + "十" + (CN[ones - 1] if ones else "")


def measure(rng: random.Random) -> str:
    head = rng.choice(VERBS) + rng.choice(OBJECTS)
    body = "。".join(rng.sample(DETAILS, rng.randint(1, 2)))
    if rng.random() < 0.3:
        name, form = rng.choice(INDICATORS)
        body += f"。到{rng.choice([2028, 2030])}年,{name}{form.format(rng.uniform(1, 70))}"
    return f"{head}。{body}。"


def plan_chapter(rng: random.Random, number: int) -> str:
    lines = [f"第{cn(number)}章 {rng.choice(VERBS)}{rng.choice(OBJECTS)}"]
    for s in range(1, rng.randint(2, 4) + 1):
        lines.append(f"第{cn(s)}节 {rng.choice(VERBS)}{rng.choice(OBJECTS)}")
        lines.extend(measure(rng) for _ in range(rng.randint(2, 5)))
        if rng.random() < 0.2:
            lines.append(f"专栏{number} 重大工程")
            lines.extend(f"{i}.{rng.choice(OBJECTS)}工程。" for i in range(1, 4))
    return "\n".join(lines)


def speech_part(rng: random.Random, number: int) -> str:
    lines = [f"{cn(number)}、{rng.choice(VERBS)}{rng.choice(OBJECTS)},推动高质量发展"]
    for s in range(1, rng.randint(3, 5) + 1):
        items = "".join(
            f"{cn(i)}是{rng.choice(VERBS)}{rng.choice(OBJECTS)},{rng.choice(DETAILS)}。"
            + "".join(measure(rng) for _ in range(rng.randint(2, 4)))
            for i in range(1, rng.randint(2, 4) + 1)
        )
        lines.append(
            f"({cn(s)}){rng.choice(VERBS)}{rng.choice(OBJECTS)}。{rng.choice(DETAILS)}。{items}"
        )
    lines.extend(f"——{rng.choice(OBJECTS)}取得新成效。{rng.choice(DETAILS)}。" for _ in range(2))
    return "\n".join(lines)


def paged(text: str, rng: random.Random) -> str:
    """Hard-wrap to 37 characters and paginate, as text pasted from a PDF."""
    out, page = [], 1
    for paragraph in text.split("\n"):
        out.extend(paragraph[i : i + 37] for i in range(0, len(paragraph), 37))
        if len(out) > page * 32:
            out += [f"- {page} -", "某市人民政府文件"]
            page += 1
    return "\n".join(out)


def build_document() -> bytes:
    """A plan text of more than TARGET_BYTES, mixing the layouts real documents use."""
    rng = random.Random(15)
    parts = [SAMPLE.read_text("utf-8")]
    size = len(parts[0].encode("utf-8"))
    n = chapters = 0
    while size < TARGET_BYTES:
        n += 1
        if n % 3:
            chapters += 1
            piece = plan_chapter(rng, chapters)
        else:
            piece = speech_part(rng, 1 + n % 9)
        if n % 7 == 0:
            piece = paged(piece, rng)
        parts.append(piece)
        size += len(piece.encode("utf-8")) + 1
    return "\n".join(parts).encode("utf-8")


_SENTENCES = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")


def floor(data: bytes) -> int:
    """Decode and split into sentences: the least any reader must do."""
    return len(_SENTENCES.findall(data.decode("utf-8")))


def best(fn, *args) -> float:
    """Best CPU time of REPEATS runs (CPU time: the build machine is shared, wall time is not)."""
    times = []
    for _ in range(REPEATS):
        started = time.process_time()
        fn(*args)
        times.append(time.process_time() - started)
    return min(times)


def main() -> None:
    data = build_document()
    megabytes = len(data) / 1_000_000
    outline = parse_bytes(data, "bench.txt")
    counts = outline.counts()
    targets = sum(1 for _ in outline.targets())
    floor_s = best(floor, data)
    parse_s = best(parse_bytes, data, "bench.txt")
    rate = megabytes / parse_s
    ratio = parse_s / floor_s
    print(f"document: {megabytes:.2f} MB, {len(data.decode('utf-8')):,} characters")
    print(f"outline: {', '.join(f'{k} {v}' for k, v in counts.items())}; targets {targets}")
    print(f"floor (decode + sentence split): {floor_s * 1000:.1f} ms")
    print(f"parse (read, outline, measures, targets): {parse_s * 1000:.1f} ms")
    print(f"throughput: {rate:.1f} MB/s (goal >= {GOAL_MB_S} MB/s)")
    print(f"ratio to floor: {ratio:.1f}x (goal <= {GOAL_RATIO}x)")
    # Where the time goes, each stage as a multiple of the floor.
    source = read_bytes(data, "bench.txt")
    stages = {
        "read (decode, layout, simplified form)": best(read_bytes, data, "bench.txt"),
        "outline (ladder, measures, targets, ids)": best(parse_source, source),
        "  of it, targets (regex, subject, year, binding)": best(find_targets, source.scan),
        "for scale: only building the same nodes from JSON": best(
            Outline.from_dict, outline.to_dict()
        ),
    }
    for name, seconds in stages.items():
        print(f"  {name}: {seconds * 1000:.1f} ms = {seconds / floor_s:.1f}x floor")
    ok = rate >= GOAL_MB_S and ratio <= GOAL_RATIO
    print("goal met" if ok else "GOAL NOT MET")


if __name__ == "__main__":
    main()
