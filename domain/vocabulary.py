"""The closed vocabularies of the messages: channels, outcomes, matters, sanctions."""

from enum import Enum

from domain.labelled import LabelledEnum


class Channel(LabelledEnum):
    """回应方式 (SPEC §6)."""

    FACTS_RELEASE = "facts_release", "发布事实信息"
    AUTHORITATIVE_RELEASE = "authoritative_release", "发布权威信息"
    PRESS_CONFERENCE = "press_conference", "新闻发布会"
    BRIEFING = "briefing", "吹风会"
    MEDIA_INTERVIEW = "media_interview", "接受媒体采访"
    EXPERT_INTERPRETATION = "expert_interpretation", "专家解读"
    PLATFORM_REPLY = "platform_reply", "原平台回复"


class FeedbackOutcome(str, Enum):
    """What the handling achieved, for the periodic public disclosure (004 二(六))."""

    SUGGESTION_ADOPTED = "suggestion_adopted"  # 建设性意见建议吸收采纳
    DIFFICULTY_SOLVED = "difficulty_solved"  # 群众反映实际困难研究解决
    MAJOR_ISSUE_INVESTIGATED = "major_issue_investigated"  # 重大问题调查处置
    OTHER = "other"


class Matter(str, Enum):
    """What the opinion concerns, for responsibility routing (SPEC §5)."""

    MAJOR_POLICY = "major_policy"  # 政府重大政策、重要决策部署
    LOCAL = "local"  # 本地事项
    SEVERAL_LOCALITIES = "several_localities"  # 涉及多个地方
    SEVERAL_DEPARTMENTS = "several_departments"  # 涉及多个部门


class SanctionKind(LabelledEnum):
    """通报批评 / 约谈 / 效能问责 / 表扬 (SPEC §7 E-NOTICE)."""

    NOTICE_CRITICISM = "notice_criticism", "通报批评"
    INTERVIEW = "interview", "约谈"
    EFFICIENCY_ACCOUNTABILITY = "efficiency_accountability", "效能问责"
    COMMENDATION = "commendation", "表扬"
