"""Graph proximity: personalised PageRank over the knowledge graph, built with networkx.

The walk runs over governments, cases, concepts (themes, instruments, barriers) and associations:
government - case (role weight), case - theme/instrument, barrier - remedy instrument (strength),
government - neighbour, government - association. networkx assembles the graph once at fit time;
each request then runs a few sparse power iterations from the profile's own nodes, which keeps a
request in the millisecond range where ``networkx.pagerank`` would rebuild its matrix every call.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from scipy import sparse

from .knowledge import ROLE_WEIGHT, KnowledgeBase


def concept_node(scheme: str, code: str) -> str:
    return f"concept:{scheme}:{code}"


def build_graph(kb: KnowledgeBase) -> nx.Graph:
    """The undirected, weighted graph the walk runs on (node names are IRIs or ``concept:...``)."""
    g = nx.Graph()
    for iri in kb.governments:
        g.add_node(iri, kind="government")
    for case in kb.cases.values():
        g.add_node(case.iri, kind="case")
        for gov, role in case.participants.items():
            g.add_edge(gov, case.iri, weight=ROLE_WEIGHT.get(role, 0.3))
        for t in case.themes:
            g.add_edge(case.iri, concept_node("theme", t), weight=1.0)
        for i in case.instruments:
            g.add_edge(case.iri, concept_node("instrument", i), weight=1.0)
    for r in kb.remedies:
        g.add_edge(concept_node("barrier", r.barrier), concept_node(r.remedy_scheme, r.remedy), weight=r.strength)
    for a, bs in kb.neighbours.items():
        for b in bs:
            g.add_edge(a, b, weight=0.3)
    for member, ms in kb.memberships.items():
        for m in ms:
            g.add_edge(member, m.org, weight=0.5)
    return g


class PersonalisedPageRank:
    """Power iteration of PageRank with restart on a fixed, column-stochastic transition matrix."""

    def __init__(self, graph: nx.Graph, *, alpha: float = 0.7, n_iter: int = 10) -> None:
        self.nodes = list(graph.nodes)
        self.position = {n: i for i, n in enumerate(self.nodes)}
        adj = nx.to_scipy_sparse_array(graph, nodelist=self.nodes, weight="weight", format="csr", dtype=np.float32)
        degree = np.asarray(adj.sum(axis=0)).ravel()
        degree[degree == 0] = 1.0
        # column-normalised so W @ x spreads each node's mass over its neighbours
        self.transition = sparse.csr_matrix(adj @ sparse.diags(1.0 / degree).astype(np.float32), dtype=np.float32)
        self.alpha = alpha
        self.n_iter = n_iter

    def run(self, seeds: dict[str, float]) -> np.ndarray:
        """Stationary visiting probabilities from the seeds (unknown seed nodes are ignored)."""
        p = np.zeros(len(self.nodes), dtype=np.float32)
        for node, w in seeds.items():
            i = self.position.get(node)
            if i is not None and w > 0:
                p[i] += w
        total = p.sum()
        if total <= 0:
            return p
        p /= total
        x = p.copy()
        for _ in range(self.n_iter):
            x = (1 - self.alpha) * p + self.alpha * (self.transition @ x)
        return x

    def positions(self, names: list[str]) -> np.ndarray:
        return np.array([self.position.get(n, -1) for n in names], dtype=np.int64)
