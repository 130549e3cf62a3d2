"""DSPy Modules: hypothesis inference, conditioned generation, the chained program, baselines."""

from hyperalign.programs.baselines import FewShot, ZeroShot
from hyperalign.programs.conditioned_generation import ConditionedGeneration
from hyperalign.programs.hyperalign_program import HyPerAlign
from hyperalign.programs.hypothesis_cache import HypothesisCache
from hyperalign.programs.hypothesis_inference import HypothesisInference

__all__ = ["ConditionedGeneration", "FewShot", "HyPerAlign", "HypothesisCache", "HypothesisInference", "ZeroShot"]
