"""Categories (SPEC §2), severity (§3) and the key-response criteria.

舆情分类: seven routine categories assigned at once in writing, three emergency
categories assigned by phone first (紧急交办), source 004 二(二).
"""

from enum import Enum


class Category(str, Enum):
    R1 = "R1"
    R2 = "R2"
    R3 = "R3"
    R4 = "R4"
    R5 = "R5"
    R6 = "R6"
    R7 = "R7"
    E1 = "E1"
    E2 = "E2"
    E3 = "E3"

    @property
    def is_emergency(self) -> bool:
        return self.value.startswith("E")

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS: dict[Category, str] = {
    Category.R1: "对政府及部门重大政策措施、重要决策部署的议论、质疑、意见和建议",
    Category.R2: "涉及公众切身利益的合理诉求",
    Category.R3: "引发媒体和公众关切、可能影响政府形象和公信力的舆情",
    Category.R4: "涉及部门（单位）工作及其工作人员的投诉、举报",
    Category.R5: "严重冲击社会道德底线的民生舆情",
    Category.R6: "省级及以上网络媒体曝光的监督类舆情",
    Category.R7: "领导批示的其他网络舆情",
    Category.E1: "属地重大突发事件、安全生产事故、重大社会关切",
    Category.E2: "群体性事件以及严重危害社会秩序和国家利益的不实信息",
    Category.E3: "可能影响群众生命财产安全的隐患或紧急情况",
}


class Severity(str, Enum):
    """事件级别: the four levels of Chinese emergency classification."""

    PARTICULARLY_SERIOUS = "特别重大"  # I
    SERIOUS = "重大"  # II
    LARGER = "较大"  # III
    GENERAL = "一般"  # IV

    @property
    def is_major(self) -> bool:
        return self in (Severity.PARTICULARLY_SERIOUS, Severity.SERIOUS)


class KeyCriterion(str, Enum):
    """需重点回应的政务舆情 (000 二; 001 二(二)): such an incident must be responded to."""

    K1 = "K1"  # 对重大政策措施存在误解误读
    K2 = "K2"  # 涉及公众切身利益且产生较大影响
    K3 = "K3"  # 涉及民生领域严重冲击社会道德底线
    K4 = "K4"  # 涉及突发事件处置和自然灾害应对
    K5 = "K5"  # 上级政府要求下级政府主动回应


KEY_CRITERION_LABELS: dict[KeyCriterion, str] = {
    KeyCriterion.K1: "对政府及其部门重大政策措施存在误解误读",
    KeyCriterion.K2: "涉及公众切身利益且产生较大影响",
    KeyCriterion.K3: "涉及民生领域严重冲击社会道德底线",
    KeyCriterion.K4: "涉及突发事件处置和自然灾害应对",
    KeyCriterion.K5: "上级政府要求下级政府主动回应",
}


def is_major_emergency(category: Category | None, severity: Severity | None) -> bool:
    """特别重大、重大突发事件: an emergency category at severity I or II.

    The faster windows (W-FACTS, W-AUTH, W-PRESS) apply to these; every other
    incident has the 48-hour response window (000 三).
    """
    return bool(category and severity and category.is_emergency and severity.is_major)


def key_response_criteria(
    category: Category | None,
    declared: list[KeyCriterion],
) -> list[KeyCriterion]:
    """The criteria an incident meets: those declared at 研判, plus K4 for emergencies.

    Emergency categories are by definition about 突发事件处置 (K4), so they can
    never be closed as "no response needed" even if the analyst forgot to say so.
    """
    criteria = set(declared)
    if category is not None and category.is_emergency:
        criteria.add(KeyCriterion.K4)
    return sorted(criteria, key=lambda c: c.value)
