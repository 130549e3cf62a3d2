"""The domains, listed once: each has a spec (program, examples, metrics, data, evaluation) in its
own package here. The writing domains' names come from data's corpus table (one spec module serves
them all); every other domain is one line below.

    from hyperalign.optimize.domains import domain_names, domain_spec
    domain_spec("email").make_program()

Importing this package is cheap (no DSPy): spec modules are imported on first use.
"""

from __future__ import annotations

import importlib

from hyperalign.core.errors import InputError
from hyperalign.data.registry import WRITING_DOMAINS
from hyperalign.optimize.domains.spec import DomainSpec, Splits

# Domain name -> the package under optimize/domains/ whose spec.py builds its spec: `spec(name)`.
DOMAINS: dict[str, str] = {
    **dict.fromkeys(WRITING_DOMAINS, "authorship"),
    "deliberative": "deliberative",
    "aloe": "aloe",
}
_specs: dict[str, DomainSpec] = {}

__all__ = ["DOMAINS", "DomainSpec", "Splits", "domain_names", "domain_spec"]


def domain_names() -> list[str]:
    return list(DOMAINS)


def domain_spec(name: str) -> DomainSpec:
    """The spec of a domain; an unknown name is a user error listing the known ones."""
    if name not in _specs:
        if name not in DOMAINS:
            raise InputError(f"unknown domain '{name}' (known: {', '.join(DOMAINS)})")
        module = importlib.import_module(f"hyperalign.optimize.domains.{DOMAINS[name]}.spec")
        _specs[name] = module.spec(name)
    return _specs[name]
