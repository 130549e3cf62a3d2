"""English function words: the closed-class words whose rates mark a writer more than a topic does."""

FUNCTION_WORDS: tuple[str, ...] = tuple(
    """
    a about above after again against all also although am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either else enough
    even ever every few for from further had has have having he her here hers herself him himself his
    how however i if in into is it its itself just least less like many may me might mine more most
    much must my myself neither never no nor not now of off often on once only or other our ours
    ourselves out over own perhaps quite rather really same shall she should since so some such than
    that the their theirs them themselves then there therefore these they this those though through
    thus to too under until up upon us very was we well were what whatever when where whether which
    while who whom whose why will with within without would yet you your yours yourself yourselves
    """.split()
)

FIRST_SINGULAR = frozenset({"i", "me", "my", "mine", "myself"})
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "yourselves"})
HEDGES = frozenset({"perhaps", "maybe", "probably", "possibly", "somewhat", "fairly", "quite", "rather", "seems", "might"})
INTENSIFIERS = frozenset({"very", "really", "so", "extremely", "totally", "absolutely", "completely", "incredibly", "super"})
