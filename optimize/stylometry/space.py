"""A reference space built from background writers: n-gram weights (idf), the background's mean
profile (the centre similarities are measured from), the spread of each style feature, and the
weighting of the views that attributes the background's own texts best.

Similarity of a text to a writer, per n-gram view, is the cosine of the two taken relative to the
background mean (what every writer of the domain shares counts for nothing); for the style vector it
is minus the mean distance in feature scales. Views are fused in units of their noise (how much the
similarity varies between a text and writers who did not write it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from hyperalign.optimize.stylometry.vectors import SparseRows, SparseVector
from hyperalign.optimize.stylometry.views import NgramView, TextFeatures, text_features

STYLE = "style"  # the interpretable style vector's name among the views
CALIBRATION_TEXTS = 120  # background texts used to measure noise and choose the weighting


@dataclass(frozen=True)
class Method:
    """How texts are compared: n-gram views, candidate weightings of the views (by name, `STYLE` for
    the style vector) of which each space keeps the one that attributes its background best, and
    whether similarities are centred on the background mean."""

    views: tuple[NgramView, ...]
    presets: tuple[Mapping[str, float], ...]
    center: bool = True


@dataclass(frozen=True)
class Profile:
    """One writer in a space: per view, the dot products of the mean of their texts' vectors (their
    centroid) with the centre and with itself; their style vector's mean and spread over their texts."""

    center_terms: dict[str, tuple[float, float]]  # view -> (centroid . centre, centroid . centroid)
    style_mean: np.ndarray
    style_sd: np.ndarray
    n_texts: int


@dataclass(frozen=True)
class Calibration:
    """What attributing the writers' own texts (each left out) measured."""

    noise: dict[str, float]  # per view: sd of its similarity between a text and writers who did not write it
    weights: dict[str, float]  # the preset kept
    loo_top1: tuple[float, ...]  # leave-one-out top-1, per preset
    n_texts: int
    fused: np.ndarray  # the kept preset's similarities, calibration text x writer
    owners: np.ndarray  # the writer of each calibration text


class Space:
    """Writers (each a list of texts) in one space; every writer is part of the centre and of the
    calibration, so all are compared alike."""

    def __init__(self, method: Method, writers: Sequence[Sequence[str]]):
        self.method = method
        docs = [[text_features(t, method.views) for t in texts] for texts in writers]
        flat = [d for user in docs for d in user]
        self.n_docs = len(flat)
        self._df = {view.name: _document_frequencies(flat, view.name) for view in method.views}
        styles = np.array([d.style for d in flat])
        self.style_mean = styles.mean(axis=0)
        # A feature's scale: how much it varies between texts of the domain, floored so that a habit
        # nobody shows (sd 0) still gives finite distances.
        self.style_scale = np.sqrt(styles.var(axis=0) + (0.05 * np.abs(self.style_mean)) ** 2 + 0.01)
        vectors = [[{v.name: self._vector(v, d) for v in method.views} for d in user] for user in docs]
        centroids = [{v.name: SparseVector.mean([x[v.name] for x in user]) for v in method.views} for user in vectors]
        empty = SparseVector(np.zeros(0, np.int64), np.zeros(0))
        centers = {v.name: SparseVector.mean([c[v.name] for c in centroids]) if method.center else empty for v in method.views}
        self._center_sq_norm = {name: center.sq_norm for name, center in centers.items()}
        # Per view, every writer's centroid and (last) the centre, as one inverted index.
        self._rows = {v.name: SparseRows([c[v.name] for c in centroids] + [centers[v.name]]) for v in method.views}
        self.profiles = [self._profile(c, user, centers) for c, user in zip(centroids, docs)]
        self._docs = docs
        self.calibration = self._calibrate()
        self._typicality: dict[int, tuple[float, float] | None] = {}

    @staticmethod
    def _profile(centroids: dict[str, SparseVector], docs: Sequence[TextFeatures], centers: dict[str, SparseVector]) -> Profile:
        terms = {name: (c.dot(centers[name]), c.sq_norm) for name, c in centroids.items()}
        styles = np.array([d.style for d in docs])
        return Profile(terms, styles.mean(axis=0), styles.std(axis=0), len(docs))

    def _vector(self, view: NgramView, doc: TextFeatures) -> SparseVector:
        """The text's tf-idf vector in one view, unit length."""
        idx, n = doc.ngrams[view.name]
        df_idx, df_n = self._df[view.name]
        pos = np.minimum(np.searchsorted(df_idx, idx), len(df_idx) - 1)
        df = np.where(df_idx[pos] == idx, df_n[pos], 0.0)
        idf = np.log((1.0 + self.n_docs) / (1.0 + df)) + 1.0
        return SparseVector(idx.astype(np.int64), view.term_weights(n.astype(np.float64)) * idf).normalized()

    # -- similarities ---------------------------------------------------------------------------

    def similarities(self, text: str) -> np.ndarray:
        """Similarity of `text` to each writer: the weighted mean over views of each view's
        similarity in units of its noise."""
        doc = text_features(text, self.method.views)
        weights = self.calibration.weights
        parts = {name: self._style_similarities(doc.style) if name == STYLE else self._ngram_similarities(name, doc)
                 for name, w in weights.items() if w}
        return _fuse(parts, weights, self.calibration.noise)

    def _ngram_similarities(self, name: str, doc: TextFeatures) -> np.ndarray:
        dots = self._rows[name].dots(self._vector(self._view(name), doc))  # the last row is the centre
        c_m, c_c = np.array([p.center_terms[name] for p in self.profiles]).T
        return _centered_cosine(dots[:-1], dots[-1], c_m, c_c, self._center_sq_norm[name])

    def _style_similarities(self, style: np.ndarray) -> np.ndarray:
        """Minus the mean distance, in feature scales, between a text's style and each writer's."""
        return _style_similarity(self._scaled(style), self._scaled(np.array([p.style_mean for p in self.profiles])))

    def _scaled(self, style: np.ndarray) -> np.ndarray:
        return np.clip((style - self.style_mean) / self.style_scale, -5, 5)

    def _view(self, name: str) -> NgramView:
        return next(v for v in self.method.views if v.name == name)

    # -- texts left out of their writer's profile --------------------------------------------------

    def left_out_similarities(self, writer: int, j: int) -> np.ndarray:
        """Fused similarities of the writer's text j to every writer, that text left out of its
        writer's profile: how a new text by this writer would look."""
        weights = self.calibration.weights
        return _fuse(self._left_out_parts(writer, j, [n for n, w in weights.items() if w]), weights, self.calibration.noise)

    def typicality(self, writer: int) -> tuple[float, float] | None:
        """How similar to `writer` their own texts are (each left out), and the level a text must
        beat to look like theirs at all: the larger of other writers' texts' mean similarity (the
        calibration texts) and a null text's (one sharing nothing with anyone). None when it cannot
        be measured (a single text)."""
        if writer not in self._typicality:
            own = [self.left_out_similarities(writer, j)[writer] for j in range(len(self._docs[writer]))]
            others = self.calibration.fused[self.calibration.owners != writer, writer] if self.calibration.n_texts else []
            measurable = len(own) > 1 and len(others) > 0
            floor = max(float(np.mean(others)), float(self._null_similarities()[writer])) if measurable else 0.0
            self._typicality[writer] = (float(np.mean(own)), floor) if measurable else None
        return self._typicality[writer]

    def _null_similarities(self) -> np.ndarray:
        """Similarities of a text that shares no n-gram with anyone and has the domain's average style:
        relative to the centre, writers far from it look close even to such a text."""
        weights = self.calibration.weights
        parts = {}
        for name, w in weights.items():
            if name == STYLE:
                parts[name] = _style_similarity(np.zeros_like(self.style_mean), self._scaled(np.array([p.style_mean for p in self.profiles])))
            elif w:
                c_m, c_c = np.array([p.center_terms[name] for p in self.profiles]).T
                parts[name] = _centered_cosine(np.zeros(len(self.profiles)), 0.0, c_m, c_c, self._center_sq_norm[name])
        return _fuse(parts, weights, self.calibration.noise)

    def _left_out_parts(self, owner: int, j: int, names: Sequence[str]) -> dict[str, np.ndarray]:
        doc, n = self._docs[owner][j], len(self._docs[owner])
        parts = {}
        for name in names:
            if name == STYLE:
                means = np.array([p.style_mean for p in self.profiles])
                means[owner] = (n * means[owner] - doc.style) / (n - 1)
                parts[name] = _style_similarity(self._scaled(doc.style), self._scaled(means))
            else:
                parts[name] = self._left_out_ngram_similarities(name, self._vector(self._view(name), doc), owner, n)
        return parts

    def _left_out_ngram_similarities(self, name: str, query: SparseVector, owner: int, n: int) -> np.ndarray:
        background = self._rows[name].dots(query)
        dots, q_m = background[:-1].copy(), background[-1]
        c_m, c_c = np.array([p.center_terms[name] for p in self.profiles]).T
        # The owner's centroid without this (unit) vector: (n * c - q) / (n - 1).
        own = dots[owner]
        dots[owner] = (n * own - 1.0) / (n - 1)
        c_c[owner] = (n * n * c_c[owner] - 2 * n * own + 1.0) / (n - 1) ** 2
        c_m[owner] = (n * c_m[owner] - q_m) / (n - 1)
        return _centered_cosine(dots, q_m, c_m, c_c, self._center_sq_norm[name])

    def _calibrate(self) -> Calibration:
        """Attribute the writers' texts among the writers, each text left out of its own writer's
        profile: measure each view's noise, and keep the preset weighting that does best."""
        names = sorted({name for preset in self.method.presets for name, w in preset.items() if w})
        picked = [(i, j) for i, docs in enumerate(self._docs) for j in range(len(docs)) if len(docs) > 1]
        if len(self._docs) < 2 or not picked:
            return Calibration(dict.fromkeys(names, 1.0), dict(self.method.presets[0]), (), 0, np.zeros((0, 0)), np.zeros(0))
        picked = [picked[i] for i in np.linspace(0, len(picked) - 1, min(CALIBRATION_TEXTS, len(picked))).astype(int)]
        owners = np.array([owner for owner, _ in picked])
        parts = [self._left_out_parts(owner, j, names) for owner, j in picked]
        noise = {}
        for name in names:
            others = np.concatenate([np.delete(p[name], owner) for p, owner in zip(parts, owners)])
            noise[name] = float(others.std()) or 1.0
        fused = [np.array([_fuse(p, preset, noise) for p in parts]) for preset in self.method.presets]
        scores = [float(np.mean(np.argmax(f, axis=1) == owners)) for f in fused]
        best = int(np.argmax(scores))  # ties keep the earlier preset
        return Calibration(noise, dict(self.method.presets[best]), tuple(scores), len(picked), fused[best], owners)


def _fuse(parts: Mapping[str, np.ndarray], weights: Mapping[str, float], noise: Mapping[str, float]) -> np.ndarray:
    """The weighted mean of the views' similarities, each in units of its noise."""
    used = {name: w for name, w in weights.items() if w}
    return sum(w * parts[name] / noise[name] for name, w in used.items()) / sum(used.values())


def _centered_cosine(dots: np.ndarray, q_m: float, c_m: np.ndarray, c_c: np.ndarray, m_m: float) -> np.ndarray:
    """cos(q - m, c - m) for a unit query q, from q.c, q.m, c.m, c.c and m.m."""
    numerator = dots - q_m - c_m + m_m
    return numerator / np.sqrt(max(1.0 - 2.0 * q_m + m_m, 1e-12) * np.maximum(c_c - 2.0 * c_m + m_m, 1e-12))


def _style_similarity(query: np.ndarray, writers: np.ndarray) -> np.ndarray:
    return -np.abs(writers - query).mean(axis=1)


def _document_frequencies(docs: Sequence[TextFeatures], view_name: str) -> tuple[np.ndarray, np.ndarray]:
    idx, n = np.unique(np.concatenate([d.ngrams[view_name][0] for d in docs]), return_counts=True)
    return idx.astype(np.int64), n.astype(np.float64)
