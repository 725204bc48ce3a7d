"""Management commands of matchmaking."""
