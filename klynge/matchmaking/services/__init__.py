"""Every write of matchmaking, one module per subject: cordis (history and links to the
registry), calls (call topics), introductions (and their outcomes), consortia (composition
rules and turning a proposed consortium into an EU application)."""
