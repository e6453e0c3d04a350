"""Demo data of the case file (filled in below)."""
from __future__ import annotations
