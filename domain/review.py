"""发布审核 (五关, G-REVIEW; 001 一(二)2; 003 (五)): the review a release records.

Political, policy, legal, wording and confidentiality checks; where another agency is
involved, consistency confirmed with it before release. Under liuzhou-2017 (rules
version 3) an authoritative release, press conference or briefing without a complete
review is refused; under the other profiles its absence is shown, not refused.
"""

from pydantic import BaseModel, Field

from domain.fields import BOUNDED, Moment, Name
from domain.labelled import LabelledEnum

MAX_CONSULTED = 20


class ReviewCheck(LabelledEnum):
    POLITICAL = "political", "政治关"
    POLICY = "policy", "政策关"
    LEGAL = "legal", "法律关"
    WORDING = "wording", "文字关"
    CONFIDENTIALITY = "confidentiality", "保密关"


class ReleaseReview(BaseModel):
    """五关 of one release: the checks passed, who reviewed, when, the agencies consulted."""

    model_config = BOUNDED

    checks: list[ReviewCheck] = Field(max_length=len(ReviewCheck))
    reviewed_by: Name
    reviewed_at: Moment | None = None
    consulted: list[Name] = Field(default_factory=list, max_length=MAX_CONSULTED)

    @property
    def missing(self) -> list[ReviewCheck]:
        return [c for c in ReviewCheck if c not in self.checks]

    def shown(self) -> str:
        done = "、".join(c.label for c in ReviewCheck if c in self.checks)
        consulted = f"，已与 {'、'.join(self.consulted)} 核实一致" if self.consulted else ""
        return f"发布审核（{done}）：{self.reviewed_by}{consulted}"
