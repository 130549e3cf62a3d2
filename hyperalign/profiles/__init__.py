"""Profiles that persist: each user's inferred hypotheses, reused while their samples, the LM and the
program stay the same; hypotheses a user rejected are never used for them again.

    from hyperalign.profiles import ProfileStore
    store = ProfileStore()              # <data dir>/profiles.sqlite ($HYPERALIGN_PROFILES)
    store.get("u1"), store.reject("u1", 2)
"""

from hyperalign.profiles.store import Profile, ProfileStore, default_path

__all__ = ["Profile", "ProfileStore", "default_path"]
