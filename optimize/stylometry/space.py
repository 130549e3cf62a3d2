"""A reference space built from writers (the user and background writers): tf-idf weights of the
n-gram views (scikit-learn's `TfidfTransformer`), every writer's centroid (`scipy.sparse`), the
spread of each style feature, and a calibration on the writers' own texts.

Similarity of a text to a writer, per n-gram view, is the cosine of the two taken relative to the
background mean (what every writer of the domain shares counts for nothing); for the style vector it
is minus the mean distance in feature scales. Views are fused in units of their noise (how much the
similarity varies between a text and writers who did not write it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from hyperalign.optimize.stylometry.views import NgramView, text_features

STYLE = "style"  # the interpretable style vector's name among the views
CALIBRATION_TEXTS = 300  # at most this many of the writers' texts calibrate the space


@dataclass(frozen=True)
class Method:
    """How texts are compared: n-gram `views`, the `weights` of the views (by name, `STYLE` for the
    style vector), and whether similarities are centred on the background mean."""

    views: tuple[NgramView, ...]
    weights: Mapping[str, float]
    center: bool = True


@dataclass(frozen=True)
class Profile:
    """One writer in a space: per view, the dot products of their centroid with the centre and with
    itself; their style vector's mean and spread over their texts."""

    center_terms: dict[str, tuple[float, float]]  # view -> (centroid . centre, centroid . centroid)
    style_mean: np.ndarray
    style_sd: np.ndarray
    n_texts: int


@dataclass(frozen=True)
class Calibration:
    """What attributing the writers' own texts (each left out of its writer's profile) measured."""

    noise: dict[str, float]  # per view: sd of its similarity between a text and writers who did not write it
    n_texts: int
    fused: np.ndarray  # fused similarities, calibration text x writer
    owners: np.ndarray  # the writer of each calibration text
    top1: float  # how often the writer of a calibration text is the closest
    margin: tuple[float, float]  # mean and sd of (similarity to the own writer - to the closest other)


class Space:
    """Writers (each a list of texts) in one space; every writer is part of the centre and of the
    calibration, so all are compared alike."""

    def __init__(self, method: Method, writers: Sequence[Sequence[str]]):
        self.method = method
        self._names = [n for n, w in method.weights.items() if w]
        views = {v.name: v for v in method.views}
        self._views = {n: views[n] for n in self._names if n != STYLE}
        docs = [[text_features(t, method.views) for t in texts] for texts in writers]
        self._docs = docs
        self._offsets = np.cumsum([0] + [len(d) for d in docs])
        flat = [d for user in docs for d in user]
        self.n_docs, n_writers = len(flat), len(docs)
        styles = np.array([d.style for d in flat])
        self.style_mean = styles.mean(axis=0)
        # A feature's scale: how much it varies between texts of the domain, floored so that a habit
        # nobody shows (sd 0) still gives finite distances.
        self.style_scale = np.sqrt(styles.var(axis=0) + (0.05 * np.abs(self.style_mean)) ** 2 + 0.01)
        owners = np.repeat(np.arange(n_writers), [len(d) for d in docs])
        averaging = sparse.csr_matrix((1.0 / np.bincount(owners)[owners], (owners, np.arange(self.n_docs))), shape=(n_writers, self.n_docs))
        self._idf, self._vectors, self._rows, terms, self._center_sq_norm = {}, {}, {}, {}, {}
        for name, view in self._views.items():
            counts = sparse.vstack([d.ngrams[name] for d in flat], format="csr")
            tfidf = TfidfTransformer(sublinear_tf=view.tf == "log").fit(counts)
            self._idf[name] = tfidf.idf_
            self._vectors[name] = tfidf.transform(counts)
            centroids = averaging @ self._vectors[name]
            center = sparse.csr_matrix(centroids.mean(axis=0)) if method.center else sparse.csr_matrix((1, centroids.shape[1]))
            rows = sparse.vstack([centroids, center], format="csr")  # every writer's centroid, the centre last
            gram = (rows @ rows.T).toarray()
            terms[name] = (gram[:-1, -1], np.diag(gram)[:-1])
            self._center_sq_norm[name] = float(gram[-1, -1])
            self._rows[name] = rows.T.tocsr()  # feature x writer: a query's dot products cost what it touches
        self.profiles = [
            Profile({name: (float(cm[i]), float(cc[i])) for name, (cm, cc) in terms.items()},
                    styles[owners == i].mean(axis=0), styles[owners == i].std(axis=0), len(docs[i]))
            for i in range(n_writers)
        ]
        self.calibration = self._calibrate()
        self._typicality: dict[int, tuple[float, float] | None] = {}

    # -- similarities ---------------------------------------------------------------------------

    def similarities(self, text: str) -> np.ndarray:
        """Similarity of `text` to each writer: the weighted mean over views of each view's
        similarity in units of its noise."""
        doc = text_features(text, self.method.views)
        parts = {}
        for name in self._names:
            if name == STYLE:
                parts[name] = _style_similarity(self._scaled(doc.style), self._style_means())
            else:
                dots = (self._query(name, doc.ngrams[name]) @ self._rows[name]).toarray()[0]
                parts[name] = self._centered(name, dots[:-1], dots[-1])
        return self._fuse(parts)

    def _query(self, name: str, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        """One text's tf-idf row, unit length: what `TfidfTransformer.transform` computes, without its
        pass over all 2**20 columns (the cost of one candidate is the cost of its own n-grams)."""
        row = counts.astype(np.float64)
        if self._views[name].tf == "log":
            row.data = 1.0 + np.log(row.data)
        row.data *= self._idf[name][row.indices]
        norm = np.sqrt(row.data @ row.data)
        if norm:
            row.data /= norm
        return row

    def _centered(self, name: str, dots: np.ndarray, q_m: float, c_m: np.ndarray | None = None, c_c: np.ndarray | None = None) -> np.ndarray:
        c_m0, c_c0 = (np.array(x) for x in zip(*[p.center_terms[name] for p in self.profiles]))
        return _centered_cosine(dots, q_m, c_m0 if c_m is None else c_m, c_c0 if c_c is None else c_c, self._center_sq_norm[name])

    def _style_means(self) -> np.ndarray:
        return self._scaled(np.array([p.style_mean for p in self.profiles]))

    def _scaled(self, style: np.ndarray) -> np.ndarray:
        return np.clip((style - self.style_mean) / self.style_scale, -5, 5)

    def _fuse(self, parts: Mapping[str, np.ndarray], noise: Mapping[str, float] | None = None) -> np.ndarray:
        """The weighted mean of the views' similarities, each in units of its noise."""
        noise = noise if noise is not None else self.calibration.noise
        weights = self.method.weights
        return sum(weights[n] * parts[n] / noise[n] for n in self._names) / sum(weights[n] for n in self._names)

    # -- texts left out of their writer's profile --------------------------------------------------

    def left_out_similarities(self, writer: int, j: int) -> np.ndarray:
        """Fused similarities of the writer's text j to every writer, that text left out of its
        writer's profile: how a new text by this writer would look."""
        return self._fuse(self._left_out_parts(np.array([writer]), np.array([j]))[0])

    def _left_out_parts(self, owners: np.ndarray, js: np.ndarray) -> list[dict[str, np.ndarray]]:
        """Per text (writer owners[i], text js[i]), every view's similarities, the text left out."""
        flat = self._offsets[owners] + js
        sizes = np.array([p.n_texts for p in self.profiles])[owners].astype(float)
        parts: list[dict[str, np.ndarray]] = [{} for _ in owners]
        for name in self._names:
            if name == STYLE:
                means = self._style_means_raw()
                for i, (owner, j) in enumerate(zip(owners, js)):
                    style, n = self._docs[owner][j].style, sizes[i]
                    own = means.copy()
                    own[owner] = (n * own[owner] - style) / (n - 1)
                    parts[i][name] = _style_similarity(self._scaled(style), self._scaled(own))
                continue
            dots = (self._vectors[name][flat] @ self._rows[name]).toarray()
            c_m0, c_c0 = (np.array(x) for x in zip(*[p.center_terms[name] for p in self.profiles]))
            for i, owner in enumerate(owners):
                n, d, q_m = sizes[i], dots[i, :-1].copy(), dots[i, -1]
                c_m, c_c = c_m0.copy(), c_c0.copy()
                # The owner's centroid without this (unit) vector: (n * c - q) / (n - 1).
                own = d[owner]
                d[owner] = (n * own - 1.0) / (n - 1)
                c_c[owner] = (n * n * c_c[owner] - 2 * n * own + 1.0) / (n - 1) ** 2
                c_m[owner] = (n * c_m[owner] - q_m) / (n - 1)
                parts[i][name] = _centered_cosine(d, q_m, c_m, c_c, self._center_sq_norm[name])
        return parts

    def _style_means_raw(self) -> np.ndarray:
        return np.array([p.style_mean for p in self.profiles])

    def typicality(self, writer: int) -> tuple[float, float] | None:
        """How similar to `writer` their own texts are (each left out), and the level a text must
        beat to look like theirs at all: the larger of other writers' texts' mean similarity (the
        calibration texts) and a null text's (one sharing nothing with anyone). None when it cannot
        be measured (a single text)."""
        if writer not in self._typicality:
            n = len(self._docs[writer])
            own = [self.left_out_similarities(writer, j)[writer] for j in range(n)] if n > 1 else []
            others = self.calibration.fused[self.calibration.owners != writer, writer] if self.calibration.n_texts else []
            measurable = len(own) > 1 and len(others) > 0
            floor = max(float(np.mean(others)), float(self._null_similarities()[writer])) if measurable else 0.0
            self._typicality[writer] = (float(np.mean(own)), floor) if measurable else None
        return self._typicality[writer]

    def _null_similarities(self) -> np.ndarray:
        """Similarities of a text that shares no n-gram with anyone and has the domain's average style:
        relative to the centre, writers far from it look close even to such a text."""
        zeros = np.zeros(len(self.profiles))
        parts = {n: _style_similarity(np.zeros_like(self.style_mean), self._style_means()) if n == STYLE
                 else self._centered(n, zeros, 0.0) for n in self._names}
        return self._fuse(parts)

    def _calibrate(self) -> Calibration:
        """Attribute the writers' texts among the writers, each text left out of its own writer's
        profile: each view's noise, the top-1 accuracy, and the margins of own texts."""
        picked = [(i, j) for i, docs in enumerate(self._docs) for j in range(len(docs)) if len(docs) > 1]
        if len(self._docs) < 2 or not picked:
            ones = dict.fromkeys(self._names, 1.0)
            return Calibration(ones, 0, np.zeros((0, 0)), np.zeros(0, dtype=int), 0.0, (0.0, 1.0))
        picked = [picked[i] for i in np.linspace(0, len(picked) - 1, min(CALIBRATION_TEXTS, len(picked))).astype(int)]
        owners, js = (np.array(x) for x in zip(*picked))
        parts = self._left_out_parts(owners, js)
        noise = {}
        for name in self._names:
            others = np.concatenate([np.delete(p[name], owner) for p, owner in zip(parts, owners)])
            noise[name] = float(others.std()) or 1.0
        fused = np.array([self._fuse(p, noise) for p in parts])
        rows = np.arange(len(owners))
        rest = fused.copy()
        rest[rows, owners] = -np.inf
        margins = fused[rows, owners] - rest.max(axis=1)
        top1 = float(np.mean(np.argmax(fused, axis=1) == owners))
        return Calibration(noise, len(picked), fused, owners, top1, (float(margins.mean()), max(float(margins.std()), 1e-6)))


def _centered_cosine(dots: np.ndarray, q_m: float, c_m: np.ndarray, c_c: np.ndarray, m_m: float) -> np.ndarray:
    """cos(q - m, c - m) for a unit query q, from q.c, q.m, c.m, c.c and m.m."""
    numerator = dots - q_m - c_m + m_m
    return numerator / np.sqrt(max(1.0 - 2.0 * q_m + m_m, 1e-12) * np.maximum(c_c - 2.0 * c_m + m_m, 1e-12))


def _style_similarity(query: np.ndarray, writers: np.ndarray) -> np.ndarray:
    return -np.abs(writers - query).mean(axis=1)
