"""Search over practices, governments and organisations, with facets and paging.

The index is built from the graph (``kg/queries/search_*.rq`` and the browse queries) for one store
generation; :class:`SearchEngine` is rebuilt when the generation changes (see ``api/routes/browse.py``).
"""

from ._documents import FACETS, SIZE_CLASSES, size_class
from ._engine import (
           InvalidFilter,
           PageOutOfRange,
           SearchEngine,
           SearchError,
           SearchRequest,
           fold,
           words,
)

__all__ = ["FACETS", "SIZE_CLASSES", "InvalidFilter", "PageOutOfRange", "SearchEngine", "SearchError", "SearchRequest",
           "fold",
           "size_class", "words"]
