"""Matchmaking: partner recommendations with explanations (issue 5).

`klynge.matchmaking.domain` is the pure-Python core (no Django): profiles, the bilingual text
model, the co-participation graph and the ranking that combines them.
"""
