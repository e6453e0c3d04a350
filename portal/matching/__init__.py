"""Account-manager candidate search, saved searches, and matching placements <-> candidates."""
