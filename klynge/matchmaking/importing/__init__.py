"""Reading EU data files for matchmaking: CORDIS folders and Funding & Tenders call exports.

The readers only parse and check; the writes are in `klynge.matchmaking.services`.
"""
