"""The brokerage scheduler's pure core (no Django): the event as data (`model`), the
independent validator (`validate`), and the solvers built on them."""
