"""Demo data: a realistic, deterministic set of our own OCPI objects for `manage.py demo`."""
