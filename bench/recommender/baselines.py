"""The strong naive baselines a sceptic would pick (issue 11), computed only from the request and the cases.

- practices: |profile themes ∩ case themes| + 0.5·|profile instruments ∩ case instruments|
  + 3·cosine of char 3–5-gram TF-IDF (sublinear tf, smoothed idf) between the profile text
  (description + Dutch labels of its theme and instrument codes) and the case text
  (title_nl + summary_nl + summary_en);
- peers: for each case, each lead government scores the number of the profile's themes the case
  carries (0.3 when the profile has no themes); summed per government; ×1.5 for the profile's
  province; the profile's own government removed.

Both see the same candidates as the system (the profile's own cases excluded; peers that can be
recommended). Profile codes are the ones the request gives (what the user said); the province and
own government come from the resolved profile.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from recommender import Recommender


class StrongBaselines:
    """Fitted once on the recommender's knowledge base; ``rank`` gives (practice iris, peer iris)."""

    def __init__(self, rec: Recommender) -> None:
        self.rec, kb = rec, rec.kb_
        self.case_iris = list(rec.index_.case_iris)
        cases = [kb.cases[c] for c in self.case_iris]
        self.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(3, 5), sublinear_tf=True, smooth_idf=True,
                                          lowercase=True)
        self.case_matrix = self.vectorizer.fit_transform(
            [" ".join(filter(None, (c.title, c.summary_nl, c.summary_en))) for c in cases])
        self.case_themes = [set(c.themes) for c in cases]
        self.case_instruments = [set(c.instruments) for c in cases]
        self.peer_ok = {g for g, ok in zip(rec.index_.gov_iris, rec.index_.peer_candidate) if ok}

    def _explicit(self, request: dict) -> tuple[list[str], list[str], str]:
        profile = request.get("profile") or {}
        return list(profile.get("themes") or []), list(profile.get("instruments") or []), profile.get("description") or ""

    def practices(self, request: dict, k: int) -> list[str]:
        kb, q = self.rec.kb_, self.rec.resolve(**{x: v for x, v in request.items() if x != "limit"})
        themes, instruments, description = self._explicit(request)
        labels = [kb.concept_label("theme", t, "nl") for t in themes] + \
                 [kb.concept_label("instrument", i, "nl") for i in instruments]
        text = " ".join([description, *labels]).strip()
        cosine = (self.case_matrix @ self.vectorizer.transform([text]).T).toarray().ravel() if text else \
            np.zeros(len(self.case_iris))
        scores = np.array([len(set(themes) & ct) + 0.5 * len(set(instruments) & ci)
                           for ct, ci in zip(self.case_themes, self.case_instruments)]) + 3.0 * cosine
        own = {c for c in self.case_iris if q.iri and q.iri in kb.cases[c].participants}
        order = np.argsort(-scores, kind="stable")
        return [self.case_iris[i] for i in order if self.case_iris[i] not in own][:k]

    def peers(self, request: dict, k: int) -> list[str]:
        kb, prof = self.rec.kb_, self.rec.profiles_
        q = self.rec.resolve(**{x: v for x, v in request.items() if x != "limit"})
        themes = set(self._explicit(request)[0])
        totals: dict[str, float] = defaultdict(float)
        for iri, case_themes in zip(self.case_iris, self.case_themes):
            value = len(themes & case_themes) if themes else 0.3
            if not value:
                continue
            for gov in kb.cases[iri].leads():
                totals[gov] += value
        for gov in list(totals):
            if q.province and gov in prof and prof[gov].province == q.province:
                totals[gov] *= 1.5
        ranked = sorted((g for g in totals if g in self.peer_ok and g != q.iri), key=lambda g: (-totals[g], g))
        return ranked[:k]
