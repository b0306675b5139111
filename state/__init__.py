"""Private state: registrations, the curation change log and coordinator tokens.

Its own room, apart from the public graph (kg/): nothing here is ever turned into public triples except
through curation's publishing step (kg/curation.py reads the change log). This package imports nothing
from kg/, recommender/ or api/.
"""
