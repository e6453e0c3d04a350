"""Demo data of aftercare (filled in below)."""
from __future__ import annotations
