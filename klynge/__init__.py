"""Klynge: the open-source operating system for innovation cluster organisations."""
