"""Judges (DSPy modules): the authorship judge (style, originality, fidelity, sanity; no LM) and its
adversarial validation, the pairwise LLM style judge, the refusal / helpfulness / harm judges and
their bundle (`safety`), the ALOE turn judge; the stylometric judge lives in optimize/stylometry."""

from hyperalign.optimize.judges.authorship import PARTS, AuthorshipJudge
from hyperalign.optimize.judges.pairwise import (
    PairwiseStyleJudge,
    PairwiseVerdict,
    combine_orders,
)

__all__ = ["PARTS", "AuthorshipJudge", "PairwiseStyleJudge", "PairwiseVerdict", "combine_orders"]
