"""Readers: each turns one format's bytes into the neutral ``layout``."""
