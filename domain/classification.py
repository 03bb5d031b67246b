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
    """Rules version 1: an emergency category (E1–E3) at severity I or II."""
    return bool(category and severity and category.is_emergency and severity.is_major)


def concerns_emergency_event(category: Category | None, key_criteria: list[KeyCriterion],
                             declared: bool | None) -> bool:
    """涉及突发事件: what 研判 declared, else true for E1 and whenever K4 applies.

    E1 is 属地重大突发事件、安全生产事故; K4 is 突发事件处置和自然灾害应对, whatever
    the category letter (000 三; 004 二(二)3). An E2 rumour or an R6 exposure is
    about an event only when K4 applies or 研判 says so.
    """
    if declared is not None:
        return declared
    return category == Category.E1 or KeyCriterion.K4 in key_criteria


def is_major_emergency_event(severity: Severity | None, concerns_event: bool) -> bool:
    """涉及特别重大、重大突发事件 (rules version 2): severity I or II and an emergency event.

    These get the fast windows (W-FACTS, W-AUTH, W-PRESS); every other incident
    has the 48-hour response window (000 三).
    """
    return bool(severity and severity.is_major and concerns_event)


# The key-response criterion a category always meets (rules version 2): C-R5 is
# 严重冲击社会道德底线 (K3), C-E1 is 突发事件 (K4). The others meet one only when
# 研判 says so: R1 is K1 only if the policy is misread, R2 is K2 only with large
# impact, R7 is K5 only when a higher government asks.
CRITERIA_OF_CATEGORY: dict[Category, KeyCriterion] = {
    Category.R5: KeyCriterion.K3,
    Category.E1: KeyCriterion.K4,
}


def implied_criteria(category: Category | None, emergency_event: bool | None) -> set[KeyCriterion]:
    """The criteria the category (and a declared emergency event) bring by themselves (v2)."""
    implied = {CRITERIA_OF_CATEGORY[category]} if category in CRITERIA_OF_CATEGORY else set()
    if emergency_event:
        implied.add(KeyCriterion.K4)
    return implied


def key_response_criteria(category: Category | None, declared: list[KeyCriterion],
                          *, faithful: bool = True, emergency_event: bool | None = None,
                          ) -> list[KeyCriterion]:
    """The criteria an incident meets: those declared at 研判, plus the category's own.

    Rules version 1 added K4 to every emergency category. Version 2 adds the
    category's own criterion (``CRITERIA_OF_CATEGORY``) and K4 when 研判 says the
    incident concerns an emergency event.
    """
    criteria = set(declared)
    if not faithful:
        if category is not None and category.is_emergency:
            criteria.add(KeyCriterion.K4)
    else:
        criteria |= implied_criteria(category, emergency_event)
    return sorted(criteria, key=lambda c: c.value)
