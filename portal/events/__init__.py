"""Meet-and-greets, speed-date schedules, company visits and bookings."""
