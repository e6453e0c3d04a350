"""Coarse coordinates for Dutch 4-digit postcode areas, and distances between them.

Candidates are stored with their 4-digit postcode area only (data minimisation), so a coordinate is
an approximation by design. This module ships:

- a small table of centroids for the 4-digit areas of the demo municipalities (Zaanstad,
  Amsterdam, Westland, Utrecht, Den Haag, Rotterdam), read off a map by hand, accurate to about
  1–2 km;
- for every other area, the centroid of its 2-digit postcode region (10..99), which is accurate to
  roughly 10–25 km (a region such as 17xx spans Den Helder to Heerhugowaard).

Limits: distances are straight lines ("as the crow flies"), not travel time; two candidates in the
same 2-digit region but outside the demo table get the same coordinate (distance 0 between them);
postcode areas 1000–1009 and 9990+ (P.O. boxes, islands) fall back to their region. For production,
replace `_FINE` with the full PC4 centroid table from CBS/PDOK (open data, ~4,000 rows); nothing
else changes. Both search backends use this module, so they agree on every distance.
"""
from __future__ import annotations

import math
import re

# Region centroids per 2-digit postcode prefix (lat, lon), coarse.
_REGION: dict[str, tuple[float, float]] = {
    "10": (52.370, 4.895), "11": (52.320, 4.960), "12": (52.230, 5.170), "13": (52.370, 5.220),
    "14": (52.500, 4.950), "15": (52.450, 4.810), "16": (52.650, 5.060), "17": (52.800, 4.800),
    "18": (52.630, 4.750), "19": (52.490, 4.660), "20": (52.380, 4.640), "21": (52.300, 4.620),
    "22": (52.220, 4.440), "23": (52.160, 4.490), "24": (52.130, 4.660), "25": (52.070, 4.300),
    "26": (52.010, 4.360), "27": (52.060, 4.490), "28": (52.020, 4.710), "29": (51.930, 4.620),
    "30": (51.920, 4.480), "31": (51.910, 4.340), "32": (51.840, 4.290), "33": (51.810, 4.670),
    "34": (52.030, 5.050), "35": (52.090, 5.120), "36": (52.150, 5.030), "37": (52.090, 5.280),
    "38": (52.160, 5.390), "39": (52.030, 5.560), "40": (51.890, 5.420), "41": (51.900, 5.220),
    "42": (51.830, 4.970), "43": (51.650, 3.920), "44": (51.500, 3.890), "45": (51.310, 3.650),
    "46": (51.500, 4.290), "47": (51.530, 4.460), "48": (51.590, 4.780), "49": (51.640, 4.860),
    "50": (51.560, 5.090), "51": (51.660, 5.020), "52": (51.690, 5.300), "53": (51.760, 5.520),
    "54": (51.660, 5.620), "55": (51.400, 5.400), "56": (51.440, 5.480), "57": (51.480, 5.660),
    "58": (51.530, 5.980), "59": (51.370, 6.170), "60": (51.250, 5.710), "61": (51.000, 5.870),
    "62": (50.850, 5.690), "63": (50.890, 5.880), "64": (50.890, 6.020), "65": (51.840, 5.860),
    "66": (51.930, 5.580), "67": (52.040, 5.670), "68": (51.980, 5.910), "69": (51.930, 6.080),
    "70": (51.960, 6.300), "71": (51.970, 6.650), "72": (52.140, 6.200), "73": (52.210, 5.970),
    "74": (52.250, 6.160), "75": (52.220, 6.890), "76": (52.360, 6.660), "77": (52.580, 6.620),
    "78": (52.780, 6.900), "79": (52.720, 6.480), "80": (52.510, 6.090), "81": (52.400, 6.270),
    "82": (52.520, 5.470), "83": (52.710, 5.750), "84": (52.960, 5.920), "85": (53.030, 5.660),
    "86": (53.060, 5.530), "87": (53.170, 5.420), "88": (53.170, 5.420), "89": (53.200, 5.800),
    "90": (53.170, 5.950), "91": (53.320, 6.000), "92": (53.110, 6.100), "93": (53.150, 6.400),
    "94": (52.990, 6.560), "95": (52.990, 6.960), "96": (53.170, 6.810), "97": (53.220, 6.570),
    "98": (53.300, 6.400), "99": (53.320, 6.880),
}

# Finer centroids for the areas of the demo municipalities: (first area, last area, lat, lon).
_FINE_RANGES: tuple[tuple[int, int, float, float], ...] = (
    # Zaanstad
    (1500, 1509, 52.4390, 4.8260),   # Zaandam
    (1510, 1519, 52.4570, 4.7760),   # Westzaan
    (1520, 1529, 52.4900, 4.7880),   # Wormerveer
    (1540, 1549, 52.4610, 4.8060),   # Koog aan de Zaan
    (1550, 1559, 52.4450, 4.7900),   # Zaandijk? (Westzaan-Noord)
    (1560, 1569, 52.5010, 4.7600),   # Krommenie
    (1540, 1545, 52.4610, 4.8060),
    (1566, 1567, 52.5140, 4.7720),   # Assendelft
    # Amsterdam
    (1011, 1019, 52.3720, 4.8950),   # centrum
    (1020, 1039, 52.3950, 4.9200),   # noord
    (1040, 1049, 52.3880, 4.8380),   # westpoort / westelijk
    (1050, 1059, 52.3660, 4.8600),   # west
    (1060, 1069, 52.3600, 4.8000),   # nieuw-west
    (1070, 1083, 52.3450, 4.8700),   # zuid
    (1086, 1099, 52.3590, 4.9400),   # oost
    (1100, 1109, 52.3100, 4.9700),   # zuidoost
    # Westland
    (2670, 2675, 51.9910, 4.2080),   # Naaldwijk
    (2676, 2679, 52.0050, 4.2330),   # Poeldijk / Monster
    (2680, 2685, 52.0250, 4.1870),   # Monster / Ter Heijde
    (2690, 2695, 52.0020, 4.1650),   # 's-Gravenzande
    # Utrecht (city)
    (3511, 3585, 52.0900, 5.1210),
    # Den Haag
    (2491, 2599, 52.0700, 4.3000),
    # Rotterdam
    (3011, 3089, 51.9230, 4.4790),
)

_FINE: dict[str, tuple[float, float]] = {}
for _first, _last, _lat, _lon in _FINE_RANGES:
    for _area in range(_first, _last + 1):
        _FINE.setdefault(f"{_area:04d}", (_lat, _lon))

_AREA_RE = re.compile(r"^\s*([1-9][0-9]{3})(\s?[A-Za-z]{2})?\s*$")


def postcode_area(value: str | None) -> str | None:
    """'1506 EC' / '1506' -> '1506'; None when not a Dutch postcode (area)."""
    match = _AREA_RE.match(value or "")
    return match.group(1) if match else None


def centroid(area: str | None) -> tuple[float, float] | None:
    """The approximate (lat, lon) of a 4-digit postcode area, or None if unknown."""
    area = postcode_area(area)
    if area is None:
        return None
    return _FINE.get(area) or _REGION.get(area[:2])


def is_precise(area: str) -> bool:
    """True when the area has its own centroid, False when it falls back to its region."""
    return area in _FINE


EARTH_RADIUS_KM = 6371.0088  # the mean radius Elasticsearch uses for arc distances


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance in km, as Elasticsearch's `arc` distance computes it."""
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def area_distance_km(area_a: str | None, area_b: str | None) -> float | None:
    a, b = centroid(area_a), centroid(area_b)
    if a is None or b is None:
        return None
    return distance_km(a, b)


def areas_within(origin: tuple[float, float], max_km: float, areas: list[str]) -> dict[str, float]:
    """{area: distance} for the given areas within `max_km` of `origin` (database backend helper)."""
    result: dict[str, float] = {}
    for area in areas:
        point = centroid(area)
        if point is None:
            continue
        d = distance_km(origin, point)
        if d <= max_km:
            result[area] = d
    return result
