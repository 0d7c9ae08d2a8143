"""Hosted mode: one deployment on PostgreSQL serving many people and their clinicians.

Local single-user mode (the default) does not import this package.
"""
