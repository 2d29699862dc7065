"""Synchronisation with partners: pulling their objects, pushing ours, and the schedules."""
