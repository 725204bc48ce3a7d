"""Klynge's benchmarks. `make bench` runs them all; each prints its figures and writes JSON."""
