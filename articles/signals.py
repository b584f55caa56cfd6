"""Signal receivers. Kept to a minimum: writes belong in services."""
