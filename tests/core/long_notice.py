"""A long synthetic notice, for the import tests and the import benchmark (not shipped).

Its measures are drawn from the built-in notice's vocabulary and units and numbered the way
notices are (一、 → （一） → 1.), each with a responsible-units note, so parsing and saving
behave as they do with a long real document.
"""

from __future__ import annotations

import random

DOC_NUMBER = "浙政发〔2026〕99号"
_DIGITS = "零一二三四五六七八九"
TOPICS = (
    "研发设计",
    "成果转移转化",
    "检验检测认证",
    "知识产权",
    "现代物流",
    "金融服务",
    "商务咨询",
    "人力资源服务",
    "文化旅游",
    "养老托育",
    "家政服务",
    "商贸消费",
)
SENTENCES = (
    "有序推动大型科研仪器、重大科学基础设施、科学数据等创新资源向企业开放共享",
    "支持企业联合高校院所、科创平台等建立研发公共服务平台",
    "加快构建以改革为引领、以概念验证中心和中试平台为载体的科技成果高效转化体系",
    "布局建设质量检验检测中心、产业计量测试中心，培育打造质量基础设施服务平台",
    "建设提升知识产权服务业集聚区，强化知识产权代理、运营、分析、咨询等服务能力",
    "建设 10 个科技服务业创新发展集聚区",
    "推动检测认证结果国际互认",
    "完善职称评定、收益分配等制度",
)
UNITS = (
    "省发展改革委",
    "省科技厅",
    "省经信厅",
    "省商务厅",
    "省财政厅",
    "省人力社保厅",
    "省市场监管局",
    "省文化广电旅游厅",
    "省民政厅",
    "省委金融办",
)


def chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 37 → 三十七 (up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def notice_text(measures: int, *, per_group: int = 20, groups: int = 10, seed: int = 16) -> str:
    """A notice with ``measures`` numbered measures: sections 一、 …, each with ``groups``
    sub-sections （一） … of ``per_group`` measures 1. 2. …, every one with a units note."""
    rng = random.Random(seed)
    out = [
        "浙江省人民政府文件",
        "",
        DOC_NUMBER,
        "",
        "浙江省人民政府关于推进服务业高质量发展的实施意见",
        "",
        "各市、县（市、区）人民政府，省政府直属各单位：",
        "",
        "为推进全省服务业高质量发展，现提出如下实施意见。",
        "",
    ]
    done = 0
    section = 0
    while done < measures:
        section += 1
        out += [f"{chinese(section)}、分领域推进第{section}批重点工作", ""]
        for group in range(1, groups + 1):
            if done >= measures:
                break
            out += [f"（{chinese(group)}）强化第{section}-{group}组服务支撑", ""]
            for number in range(1, per_group + 1):
                if done >= measures:
                    break
                topic = rng.choice(TOPICS)
                body = "。".join(rng.sample(SENTENCES, 2))
                if number % 5 == 1:  # a quantitative target now and then, as real notices have
                    body += f"。到2030年建成{number + 4}个左右省级服务业集聚区"
                units = "、".join(rng.sample(UNITS, rng.randint(1, 3)))
                out += [f"{number}. {topic}方面。{body}。（责任单位：{units}）", ""]
                done += 1
    out += ["", "浙江省人民政府", "", "2026年5月30日"]
    return "\n".join(out)
