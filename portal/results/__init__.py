"""Results ("Resultaten"): monitoring indicators as aggregates only, with charts, definitions and exports."""
