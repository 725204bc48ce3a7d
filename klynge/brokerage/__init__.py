"""B2B brokerage events: many short 1:1 meetings in one day (issue 6)."""
