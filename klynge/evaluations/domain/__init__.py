"""Pure rules of evaluations (no Django, no ORM): what counts as a yes, the standard
questions, response rates and the follow-up calendar."""
