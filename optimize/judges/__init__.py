"""Judges (DSPy modules): the pairwise LLM style judge, the refusal / helpfulness / harm judges and
their bundle (`safety`), the ALOE turn judge; the stylometric judge lives in optimize/stylometry."""

from hyperalign.optimize.judges.pairwise import (
    PairwiseStyleJudge,
    PairwiseVerdict,
    combine_orders,
)

__all__ = ["PairwiseStyleJudge", "PairwiseVerdict", "combine_orders"]
